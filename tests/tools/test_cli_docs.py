"""docs/cli.md is generated from the operation declarations: the committed file is what
tools/make_cli_docs.py writes now (run it after changing a declaration)."""
import subprocess
import sys


def test_committed_cli_reference_is_current(repo_root):
    sys.path.insert(0, str(repo_root / "tools"))
    import make_cli_docs

    committed = (repo_root / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == make_cli_docs.render(), "docs/cli.md is stale: run tools/make_cli_docs.py"
    check = subprocess.run([sys.executable, str(repo_root / "tools" / "make_cli_docs.py"),
                            "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_cli_reference_names_every_command_and_parameter(repo_root):
    from mirage_labeller.core.operations import OPERATIONS

    text = (repo_root / "docs" / "cli.md").read_text(encoding="utf-8")
    for op in OPERATIONS:
        assert f"## {op.name}\n" in text and f"`mirage:{op.processing_id}`" in text
        section = text.split(f"## {op.name}\n", 1)[1].split("\n## ", 1)[0]
        for p in op.params:
            assert (p.name.upper() if p.positional else p.cli_flag) in section, (op.name, p)
            assert f"`{p.pname}`" in section, (op.name, p.pname)
