<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT">
  <context>
    <name>ClassGuide</name>
    <message>
      <source>MIRAGE class guide</source>
      <translation>Guida alle classi MIRAGE</translation>
    </message>
    <message>
      <source>The ten classes of MIRAGE (paper, Table 2 and Data Overview). Examples are boxes of this workspace's labels on their interferogram.</source>
      <translation>Le dieci classi di MIRAGE (articolo, Tabella 2 e Data Overview). Gli esempi sono i riquadri delle etichette di questa area di lavoro sul loro interferogramma.</translation>
    </message>
    <message>
      <source>Reading examples…</source>
      <translation>Lettura degli esempi…</translation>
    </message>
    <message>
      <source>class</source>
      <translation>classe</translation>
    </message>
    <message>
      <source>what it looks like</source>
      <translation>come appare</translation>
    </message>
    <message>
      <source>examples</source>
      <translation>esempi</translation>
    </message>
    <message>
      <source>Open a workspace to see examples from its labels.</source>
      <translation>Apri un'area di lavoro per vedere esempi dalle sue etichette.</translation>
    </message>
    <message>
      <source>{n} examples from the labels of this workspace; {made} synthetic (dashed) where it has none.</source>
      <translation>{n} esempi dalle etichette di quest'area di lavoro; {made} sintetici (tratteggiati) dove non ce ne sono.</translation>
    </message>
    <message>
      <source>no example in this workspace</source>
      <translation>nessun esempio in questa area di lavoro</translation>
    </message>
    <message>
      <source>No examples: {why}</source>
      <translation>Nessun esempio: {why}</translation>
    </message>
    <message>
      <source>synthetic example (ascending, Bt {bt} d): this workspace has no {code} label</source>
      <translation>esempio sintetico (ascendente, Bt {bt} g): quest'area di lavoro non ha etichette {code}</translation>
    </message>
  </context>
  <context>
    <name>ExerciseCheck</name>
    <message>
      <source>missed</source>
      <translation>mancato</translation>
    </message>
    <message>
      <source>false alarm</source>
      <translation>falso allarme</translation>
    </message>
    <message>
      <source>artefact called a movement</source>
      <translation>artefatto scambiato per movimento</translation>
    </message>
    <message>
      <source>class confusion</source>
      <translation>classe sbagliata</translation>
    </message>
    <message>
      <source>exercise key</source>
      <translation>soluzione dell'esercizio</translation>
    </message>
    <message>
      <source>Check my work</source>
      <translation>Verifica il mio lavoro</translation>
    </message>
    <message>
      <source>Found {found} of {total} signals: {missed} missed, {false} false alarm(s), {artefacts} artefact(s) called movements, {confusions} class confusion(s).
Precision {precision}, recall {recall} (boxes match at IoU ≥ {iou}). The key's boxes are dashed green on the map.</source>
      <translation>Trovati {found} segnali su {total}: {missed} mancati, {false} falsi allarmi, {artefacts} artefatti scambiati per movimenti, {confusions} classi sbagliate.
Precisione {precision}, richiamo {recall} (i riquadri coincidono con IoU ≥ {iou}). I riquadri della soluzione sono tratteggiati in verde sulla mappa.</translation>
    </message>
    <message>
      <source>note: {text}</source>
      <translation>nota: {text}</translation>
    </message>
    <message>
      <source>Could not check the exercise: {why}</source>
      <translation>Impossibile controllare l'esercizio: {why}</translation>
    </message>
  </context>
  <context>
    <name>LinkedViews</name>
    <message>
      <source>phase</source>
      <translation>fase</translation>
    </message>
    <message>
      <source>coherence</source>
      <translation>coerenza</translation>
    </message>
    <message>
      <source>hillshade</source>
      <translation>ombreggiatura</translation>
    </message>
    <message>
      <source>slope</source>
      <translation>pendenza</translation>
    </message>
    <message>
      <source>aspect</source>
      <translation>esposizione</translation>
    </message>
    <message>
      <source>profile_curvature</source>
      <translation>curvatura di profilo</translation>
    </message>
    <message>
      <source>plan_curvature</source>
      <translation>curvatura planare</translation>
    </message>
    <message>
      <source>tri</source>
      <translation>TRI</translation>
    </message>
    <message>
      <source>twi</source>
      <translation>TWI</translation>
    </message>
    <message>
      <source>MIRAGE linked views</source>
      <translation>MIRAGE viste collegate</translation>
    </message>
    <message>
      <source>Number of linked views (2-4)</source>
      <translation>Numero di viste collegate (2-4)</translation>
    </message>
    <message>
      <source>project: {name}</source>
      <translation>progetto: {name}</translation>
    </message>
    <message>
      <source>Views</source>
      <translation>Viste</translation>
    </message>
    <message>
      <source>{layer} would fetch map tiles from {host}: pick it in the list above to show it</source>
      <translation>{layer} scaricherebbe le tessere della mappa da {host}: sceglila nell'elenco qui sopra per mostrarla</translation>
    </message>
    <message>
      <source>{layer} ({host})</source>
      <translation>{layer} ({host})</translation>
    </message>
    <message>
      <source>Fetches map tiles from {host} when shown in this view</source>
      <translation>Scarica le tessere della mappa da {host} quando è mostrata in questa vista</translation>
    </message>
    <message>
      <source>{layer}: not available in this workspace</source>
      <translation>{layer}: non disponibile in quest'area di lavoro</translation>
    </message>
    <message>
      <source>this layer</source>
      <translation>questo layer</translation>
    </message>
  </context>
  <context>
    <name>MirageDock</name>
    <message>
      <source>MIRAGE Labeller</source>
      <translation>MIRAGE Labeller</translation>
    </message>
    <message>
      <source>Workspace</source>
      <translation>Area di lavoro</translation>
    </message>
    <message>
      <source>a folder of interferograms</source>
      <translation>una cartella di interferogrammi</translation>
    </message>
    <message>
      <source>…</source>
      <translation>…</translation>
    </message>
    <message>
      <source>Open a workspace folder (interferograms/, coherence/, dem/, labels/)</source>
      <translation>Apri una cartella di lavoro (interferograms/, coherence/, dem/, labels/)</translation>
    </message>
    <message>
      <source>+</source>
      <translation>+</translation>
    </message>
    <message>
      <source>Open chosen interferogram files (their coherence maps are found by date)</source>
      <translation>Apri i file di interferogramma scelti (le mappe di coerenza sono trovate per data)</translation>
    </message>
    <message>
      <source>Show only this temporal baseline</source>
      <translation>Mostra solo questa baseline temporale</translation>
    </message>
    <message>
      <source>Show only this orbit</source>
      <translation>Mostra solo questa orbita</translation>
    </message>
    <message>
      <source>Show only interferograms with this triage status</source>
      <translation>Mostra solo gli interferogrammi con questo stato di selezione</translation>
    </message>
    <message>
      <source>◀ Previous</source>
      <translation>◀ Precedente</translation>
    </message>
    <message>
      <source>Previous interferogram (,)</source>
      <translation>Interferogramma precedente (,)</translation>
    </message>
    <message>
      <source>Next ▶</source>
      <translation>Successivo ▶</translation>
    </message>
    <message>
      <source>Next interferogram (.)</source>
      <translation>Interferogramma successivo (.)</translation>
    </message>
    <message>
      <source>Interferograms triaged (kept or discarded)</source>
      <translation>Interferogrammi selezionati (tenuti o scartati)</translation>
    </message>
    <message>
      <source>%v/%m triaged</source>
      <translation>%v/%m selezionati</translation>
    </message>
    <message>
      <source>Flowchart</source>
      <translation>Diagramma di flusso</translation>
    </message>
    <message>
      <source>Step</source>
      <translation>Passo</translation>
    </message>
    <message>
      <source>Coherence: reading…</source>
      <translation>Coerenza: lettura…</translation>
    </message>
    <message>
      <source>Keep (K)</source>
      <translation>Tieni (K)</translation>
    </message>
    <message>
      <source>Step 0: keep this interferogram for labelling</source>
      <translation>Passo 0: tieni questo interferogramma per l'etichettatura</translation>
    </message>
    <message>
      <source>Discard (X)</source>
      <translation>Scarta (X)</translation>
    </message>
    <message>
      <source>Step 0: discard it, with the reason chosen beside</source>
      <translation>Passo 0: scartalo, con il motivo scelto accanto</translation>
    </message>
    <message>
      <source>Why it is discarded</source>
      <translation>Perché viene scartato</translation>
    </message>
    <message>
      <source>Supply IFG / Traj…</source>
      <translation>Indica IFG / Traj…</translation>
    </message>
    <message>
      <source>Give the dates or orbit that could not be read from the file</source>
      <translation>Indica le date o l'orbita che non si leggono dal file</translation>
    </message>
    <message>
      <source>Draw N–S box (B)</source>
      <translation>Disegna riquadro N–S (B)</translation>
    </message>
    <message>
      <source>The N–S box tool: press, drag, release on the map; handles move and resize</source>
      <translation>Lo strumento riquadro N–S: premi, trascina, rilascia sulla mappa; le maniglie spostano e ridimensionano</translation>
    </message>
    <message>
      <source>Drop candidate (Esc)</source>
      <translation>Annulla candidato (Esc)</translation>
    </message>
    <message>
      <source>No candidate yet: draw a box around the fringes.</source>
      <translation>Ancora nessun candidato: disegna un riquadro attorno alle frange.</translation>
    </message>
    <message>
      <source>Compare the signal with the hillshade, slope and inventories in the linked views.</source>
      <translation>Confronta il segnale con l'ombreggiatura, la pendenza e gli inventari nelle viste collegate.</translation>
    </message>
    <message>
      <source>Morphology checked (M)</source>
      <translation>Morfologia verificata (M)</translation>
    </message>
    <message>
      <source>Step 2 done: the signal fits the landform</source>
      <translation>Passo 2 fatto: il segnale è coerente con la forma del rilievo</translation>
    </message>
    <message>
      <source>Optional: look for the same signal in other interferograms, at least of the same baseline.</source>
      <translation>Facoltativo: cerca lo stesso segnale in altri interferogrammi, almeno con la stessa baseline.</translation>
    </message>
    <message>
      <source>Recurrence checked (E)</source>
      <translation>Ricorrenza verificata (E)</translation>
    </message>
    <message>
      <source>Step 3 done: seen in at least two interferograms</source>
      <translation>Passo 3 fatto: visto in almeno due interferogrammi</translation>
    </message>
    <message>
      <source>Sign_Qual</source>
      <translation>Sign_Qual</translation>
    </message>
    <message>
      <source>1 high</source>
      <translation>1 alta</translation>
    </message>
    <message>
      <source>Key 1: clear signal standing out from the background</source>
      <translation>Tasto 1: segnale chiaro che si distingue dallo sfondo</translation>
    </message>
    <message>
      <source>2 low</source>
      <translation>2 bassa</translation>
    </message>
    <message>
      <source>Key 2: true signal, partly decorrelated</source>
      <translation>Tasto 2: segnale vero, in parte decorrelato</translation>
    </message>
    <message>
      <source>Class_Unc</source>
      <translation>Class_Unc</translation>
    </message>
    <message>
      <source>1 low</source>
      <translation>1 bassa</translation>
    </message>
    <message>
      <source>Alt+1: confident classification</source>
      <translation>Alt+1: classificazione sicura</translation>
    </message>
    <message>
      <source>2 high</source>
      <translation>2 alta</translation>
    </message>
    <message>
      <source>Alt+2: ambiguous classification</source>
      <translation>Alt+2: classificazione ambigua</translation>
    </message>
    <message>
      <source>IFG – Bt – Traj –</source>
      <translation>IFG – Bt – Traj –</translation>
    </message>
    <message>
      <source>Confirm (Enter)</source>
      <translation>Conferma (Invio)</translation>
    </message>
    <message>
      <source>Save the label in the interferogram's shapefile</source>
      <translation>Salva l'etichetta nello shapefile dell'interferogramma</translation>
    </message>
    <message>
      <source>Labels of this interferogram</source>
      <translation>Etichette di questo interferogramma</translation>
    </message>
    <message>
      <source>Click to select; the box tool then moves and resizes it</source>
      <translation>Clic per selezionare; lo strumento riquadro poi la sposta e la ridimensiona</translation>
    </message>
    <message>
      <source>[ Previous</source>
      <translation>[ Precedente</translation>
    </message>
    <message>
      <source>Previous label ([)</source>
      <translation>Etichetta precedente ([)</translation>
    </message>
    <message>
      <source>Next ]</source>
      <translation>Successiva ]</translation>
    </message>
    <message>
      <source>Next label (])</source>
      <translation>Etichetta successiva (])</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>Elimina</translation>
    </message>
    <message>
      <source>Delete the candidate or the selected label (Delete); Ctrl+Z brings it back</source>
      <translation>Elimina il candidato o l'etichetta selezionata (Canc); Ctrl+Z la ripristina</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>Annulla</translation>
    </message>
    <message>
      <source>Undo the last label edit (Ctrl+Z)</source>
      <translation>Annulla l'ultima modifica di etichetta (Ctrl+Z)</translation>
    </message>
    <message>
      <source>Redo</source>
      <translation>Ripeti</translation>
    </message>
    <message>
      <source>Redo (Ctrl+Shift+Z)</source>
      <translation>Ripeti (Ctrl+Maiusc+Z)</translation>
    </message>
    <message>
      <source>Shortcuts</source>
      <translation>Scorciatoie</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>Scorciatoie da tastiera</translation>
    </message>
    <message>
      <source>Strict</source>
      <translation>Rigoroso</translation>
    </message>
    <message>
      <source>Walk the five steps in order (teaching); unchecked: any step any time</source>
      <translation>Percorri i cinque passi in ordine (didattica); deselezionato: qualsiasi passo in qualsiasi momento</translation>
    </message>
    <message>
      <source>Mask coh &lt; 0.2</source>
      <translation>Maschera coer. &lt; 0.2</translation>
    </message>
    <message>
      <source>Veil pixels whose coherence is below the threshold</source>
      <translation>Vela i pixel con coerenza sotto la soglia</translation>
    </message>
    <message>
      <source>Keep Q/U</source>
      <translation>Mantieni Q/U</translation>
    </message>
    <message>
      <source>Offer the last Sign_Qual and Class_Unc for the next label</source>
      <translation>Proponi gli ultimi Sign_Qual e Class_Unc per l'etichetta successiva</translation>
    </message>
    <message>
      <source>Open a workspace to start.</source>
      <translation>Apri un'area di lavoro per iniziare.</translation>
    </message>
    <message>
      <source>No candidate: press, drag and release on the map with the box tool (B).</source>
      <translation>Nessun candidato: premi, trascina e rilascia sulla mappa con lo strumento riquadro (B).</translation>
    </message>
    <message>
      <source>Save the label (Enter)</source>
      <translation>Salva l'etichetta (Invio)</translation>
    </message>
    <message>
      <source>{name} — {region}; typical area {area} km², main baseline {days} d; {shape}, {texture}</source>
      <translation>{name} — {region}; area tipica {area} km², baseline principale {days} g; {shape}, {texture}</translation>
    </message>
    <message>
      <source>Candidate {w:.0f} × {h:.0f} m ({area:.3f} km²), snapped to the {pixel:g} m grid.</source>
      <translation>Candidato {w:.0f} × {h:.0f} m ({area:.3f} km²), agganciato alla griglia di {pixel:g} m.</translation>
    </message>
    <message>
      <source>Check my work</source>
      <translation>Verifica il mio lavoro</translation>
    </message>
    <message>
      <source>Exercise: score your labels against the hidden key</source>
      <translation>Esercizio: valuta le tue etichette rispetto alla soluzione nascosta</translation>
    </message>
    <message>
      <source>Class guide</source>
      <translation>Guida alle classi</translation>
    </message>
    <message>
      <source>The ten classes: figures, signal patterns and examples</source>
      <translation>Le dieci classi: cifre, forme del segnale ed esempi</translation>
    </message>
    <message>
      <source>MIRAGE N–S box tool</source>
      <translation>Strumento riquadro N–S MIRAGE</translation>
    </message>
    <message>
      <source>Draw, move and resize north–south label boxes (B)</source>
      <translation>Disegna, sposta e ridimensiona i riquadri nord–sud delle etichette (B)</translation>
    </message>
    <message>
      <source>Not triaged yet.</source>
      <translation>Non ancora valutato.</translation>
    </message>
    <message>
      <source>IFG {ifg} · Bt {bt} d · Traj {traj} (from the interferogram)</source>
      <translation>IFG {ifg} · Bt {bt} g · Traj {traj} (dall'interferogramma)</translation>
    </message>
    <message>
      <source>No coherence map paired with this interferogram.</source>
      <translation>Nessuna mappa di coerenza associata a questo interferogramma.</translation>
    </message>
    <message>
      <source>Coherence mean {mean:.2f}, median {median:.2f} · {below:.0%} below 0.2 · {valid:.0%} valid · {residues:.2%} phase residues · score {score:.2f} ({reason}). Kept MIRAGE set: mean 0.45, ~15 % below 0.2.</source>
      <translation>Coerenza media {mean:.2f}, mediana {median:.2f} · {below:.0%} sotto 0.2 · {valid:.0%} validi · {residues:.2%} residui di fase · punteggio {score:.2f} ({reason}). Insieme MIRAGE tenuto: media 0.45, ~15 % sotto 0.2.</translation>
    </message>
    <message>
      <source>Coherence mean {mean:.2f} · {below:.0%} of pixels below {threshold:g} · {valid:.0%} valid (kept MIRAGE set: 0.45, ~15 %)</source>
      <translation>Coerenza media {mean:.2f} · {below:.0%} dei pixel sotto {threshold:g} · {valid:.0%} validi (insieme MIRAGE tenuto: 0.45, ~15 %)</translation>
    </message>
    <message>
      <source>IFG</source>
      <translation>IFG</translation>
    </message>
    <message>
      <source>Bt</source>
      <translation>Bt</translation>
    </message>
    <message>
      <source>Traj</source>
      <translation>Traj</translation>
    </message>
    <message>
      <source>Labels</source>
      <translation>Etichette</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Stato</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>Punteggio</translation>
    </message>
    <message>
      <source>Mean coh</source>
      <translation>Coer. media</translation>
    </message>
    <message>
      <source>% &lt; 0.2</source>
      <translation>% &lt; 0.2</translation>
    </message>
    <message>
      <source>Coherence</source>
      <translation>Coerenza</translation>
    </message>
    <message>
      <source>File</source>
      <translation>File</translation>
    </message>
    <message>
      <source>decorrelation</source>
      <translation>decorrelazione</translation>
    </message>
    <message>
      <source>atmosphere</source>
      <translation>atmosfera</translation>
    </message>
    <message>
      <source>other</source>
      <translation>altro</translation>
    </message>
    <message>
      <source>undecided</source>
      <translation>da decidere</translation>
    </message>
    <message>
      <source>kept</source>
      <translation>tenuto</translation>
    </message>
    <message>
      <source>discarded</source>
      <translation>scartato</translation>
    </message>
    <message>
      <source>labelled</source>
      <translation>etichettato</translation>
    </message>
    <message>
      <source>unlabelled</source>
      <translation>senza etichette</translation>
    </message>
    <message>
      <source>all</source>
      <translation>tutti</translation>
    </message>
    <message>
      <source>keep</source>
      <translation>tenuti</translation>
    </message>
    <message>
      <source>discard</source>
      <translation>scartati</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>sì</translation>
    </message>
    <message>
      <source>missing</source>
      <translation>manca</translation>
    </message>
    <message>
      <source>score {score:.2f}: {reason}
median coherence {median:.2f}, {valid:.0%} valid, {residues:.2%} residues</source>
      <translation>punteggio {score:.2f}: {reason}
coerenza mediana {median:.2f}, {valid:.0%} validi, {residues:.2%} residui</translation>
    </message>
    <message>
      <source>Undo {what} (Ctrl+Z)</source>
      <translation>Annulla {what} (Ctrl+Z)</translation>
    </message>
    <message>
      <source>Redo {what} (Ctrl+Shift+Z)</source>
      <translation>Ripristina {what} (Ctrl+Maiusc+Z)</translation>
    </message>
    <message>
      <source>Interferogram dates</source>
      <translation>Date dell'interferogramma</translation>
    </message>
    <message>
      <source>Orbit</source>
      <translation>Orbita</translation>
    </message>
    <message>
      <source>master_slave (yyyymmdd_yyyymmdd):</source>
      <translation>master_slave (aaaammgg_aaaammgg):</translation>
    </message>
    <message>
      <source>Trajectory:</source>
      <translation>Traiettoria:</translation>
    </message>
    <message>
      <source>ascending</source>
      <translation>ascendente</translation>
    </message>
    <message>
      <source>descending</source>
      <translation>discendente</translation>
    </message>
    <message>
      <source>Opening {file} …</source>
      <translation>Apertura di {file} …</translation>
    </message>
    <message>
      <source>Open a MIRAGE workspace</source>
      <translation>Apri un'area di lavoro MIRAGE</translation>
    </message>
    <message>
      <source>Open interferograms (coherence maps are found by date)</source>
      <translation>Apri interferogrammi (le mappe di coerenza si trovano per data)</translation>
    </message>
    <message>
      <source>All files</source>
      <translation>Tutti i file</translation>
    </message>
    <message>
      <source>Rasters</source>
      <translation>Raster</translation>
    </message>
    <message>
      <source>project: {warning}</source>
      <translation>progetto: {warning}</translation>
    </message>
    <message>
      <source>{file}: a file of the project's workspace is missing</source>
      <translation>{file}: manca un file dell'area di lavoro del progetto</translation>
    </message>
    <message>
      <source>{folder}: the project's MIRAGE workspace is no longer there</source>
      <translation>{folder}: l'area di lavoro MIRAGE del progetto non c'è più</translation>
    </message>
    <message>
      <source>Mask coh &lt; {threshold:g}</source>
      <translation>Maschera coer. &lt; {threshold:g}</translation>
    </message>
    <message>
      <source>Screening stopped: {why}</source>
      <translation>Valutazione interrotta: {why}</translation>
    </message>
    <message>
      <source>Keep the readable labels (backup first)</source>
      <translation>Tieni le etichette leggibili (prima un backup)</translation>
    </message>
    <message>
      <source>1 interferogram</source>
      <translation>1 interferogramma</translation>
    </message>
    <message>
      <source>no DEM (dem/dem.tif)</source>
      <translation>nessun DEM (dem/dem.tif)</translation>
    </message>
    <message>
      <source>{n} interferograms</source>
      <translation>{n} interferogrammi</translation>
    </message>
    <message>
      <source>screening interferograms… {percent:.0f}%</source>
      <translation>valutazione degli interferogrammi… {percent:.0f}%</translation>
    </message>
    <message>
      <source> · this one: {decision}, {n} label(s)</source>
      <translation> · questo: {decision}, {n} etichetta/e</translation>
    </message>
    <message>
      <source>{n} problem(s): {first}</source>
      <translation>{n} problema/i: {first}</translation>
    </message>
    <message>
      <source> · also open by {who}</source>
      <translation> · aperto anche da {who}</translation>
    </message>
    <message>
      <source>{triaged}/{total} triaged · {labelled} labelled · {n} labels</source>
      <translation>{triaged}/{total} valutati · {labelled} etichettati · {n} etichette</translation>
    </message>
    <message>
      <source>{user}@{host} since {time}</source>
      <translation>{user}@{host} dalle {time}</translation>
    </message>
  </context>
  <context>
    <name>MirageLabellerPlugin</name>
    <message>
      <source>Show or hide the MIRAGE Labeller dock</source>
      <translation>Mostra o nascondi il pannello MIRAGE Labeller</translation>
    </message>
    <message>
      <source>Show or hide the linked views (phase | coherence | hillshade | slope)</source>
      <translation>Mostra o nascondi le viste collegate (fase | coerenza | ombreggiatura | pendenza)</translation>
    </message>
    <message>
      <source>Audit and review a label set (yours or someone else's)</source>
      <translation>Controlla e revisiona un insieme di etichette (tuo o di altri)</translation>
    </message>
  </context>
  <context>
    <name>RecurrencePanel</name>
    <message>
      <source>Show</source>
      <translation>Mostra</translation>
    </message>
    <message>
      <source>Show this box in every other interferogram that covers it</source>
      <translation>Mostra questo riquadro in ogni altro interferogramma che lo copre</translation>
    </message>
    <message>
      <source>Copy label here</source>
      <translation>Copia l'etichetta qui</translation>
    </message>
    <message>
      <source>Copy the selected label to the chosen chip's interferogram, with that interferogram's IFG, Bt and Traj (Ctrl+Z undoes)</source>
      <translation>Copia l'etichetta selezionata nell'interferogramma della miniatura scelta, con IFG, Bt e Traj di quell'interferogramma (Ctrl+Z annulla)</translation>
    </message>
    <message>
      <source>Processes</source>
      <translation>Processi</translation>
    </message>
    <message>
      <source>Group every label of the workspace into mass-movement processes (labels of different interferograms covering at least half of the smaller box) and show them as a layer; class conflicts are outlined in red</source>
      <translation>Raggruppa tutte le etichette dell'area di lavoro in processi di movimento di massa (etichette di interferogrammi diversi che coprono almeno metà del riquadro minore) e mostrali come layer; i conflitti di classe sono bordati in rosso</translation>
    </message>
    <message>
      <source>Tick the interferograms where the signal is present; double-click one to go there</source>
      <translation>Spunta gli interferogrammi in cui il segnale è presente; doppio clic per andarci</translation>
    </message>
    <message>
      <source>Draw a box (step 1) or select a label to see it in the other interferograms.</source>
      <translation>Disegna un riquadro (passo 1) o seleziona un'etichetta per vederla negli altri interferogrammi.</translation>
    </message>
    <message>
      <source>No other interferogram covers this box.</source>
      <translation>Nessun altro interferogramma copre questo riquadro.</translation>
    </message>
    <message>
      <source>no coherence map</source>
      <translation>nessuna mappa di coerenza</translation>
    </message>
    <message>
      <source>Signal present in {ticked} of {n} other interferograms ({labelled} already labelled there); sorted by Bt, then date.</source>
      <translation>Segnale presente in {ticked} di {n} altri interferogrammi ({labelled} già etichettati lì); ordinati per Bt, poi per data.</translation>
    </message>
    <message>
      <source>{labels} labels in {processes} processes ({conflicts} with a class conflict): layer 'processes', {file}</source>
      <translation>{labels} etichette in {processes} processi ({conflicts} con un conflitto di classe): layer 'processes', {file}</translation>
    </message>
    <message>
      <source>box coherence {value:.2f}</source>
      <translation>coerenza nel riquadro {value:.2f}</translation>
    </message>
    <message>
      <source>labelled here: {labels}</source>
      <translation>etichettato qui: {labels}</translation>
    </message>
    <message>
      <source>Could not read the other interferograms: {why}</source>
      <translation>Impossibile leggere gli altri interferogrammi: {why}</translation>
    </message>
    <message>
      <source>Processes not grouped: {why}</source>
      <translation>Processi non raggruppati: {why}</translation>
    </message>
  </context>
  <context>
    <name>ReviewDock</name>
    <message>
      <source>MIRAGE review</source>
      <translation>MIRAGE revisione</translation>
    </message>
    <message>
      <source>Labels</source>
      <translation>Etichette</translation>
    </message>
    <message>
      <source>a folder of label shapefiles</source>
      <translation>una cartella di shapefile di etichette</translation>
    </message>
    <message>
      <source>…</source>
      <translation>…</translation>
    </message>
    <message>
      <source>Reviewer</source>
      <translation>Revisore</translation>
    </message>
    <message>
      <source>your name, kept with every decision</source>
      <translation>il tuo nome, registrato con ogni decisione</translation>
    </message>
    <message>
      <source>Load</source>
      <translation>Carica</translation>
    </message>
    <message>
      <source>Read the labels (read-only) and build the queue</source>
      <translation>Leggi le etichette (sola lettura) e prepara la coda</translation>
    </message>
    <message>
      <source>Audit</source>
      <translation>Controllo</translation>
    </message>
    <message>
      <source>Check schema, values, geometry, duplicates and, with the workspace open, the interferograms (read-only)</source>
      <translation>Controlla schema, valori, geometria, duplicati e, con l'area di lavoro aperta, gli interferogrammi (sola lettura)</translation>
    </message>
    <message>
      <source>Agreement…</source>
      <translation>Concordanza…</translation>
    </message>
    <message>
      <source>Compare these labels (A) with another annotator's folder (B): precision, recall, F1, kappa, confusion</source>
      <translation>Confronta queste etichette (A) con la cartella di un altro annotatore (B): precisione, richiamo, F1, kappa, confusione</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>Rapporto</translation>
    </message>
    <message>
      <source>The dataset report of these labels (Table 2, Figs. 3, 7, 8, processes), opened in the browser</source>
      <translation>Il rapporto sul dataset di queste etichette (Tabella 2, Figg. 3, 7, 8, processi), aperto nel browser</translation>
    </message>
    <message>
      <source>Apply decisions…</source>
      <translation>Applica le decisioni…</translation>
    </message>
    <message>
      <source>Write the rejections and changes into the label files (asks first; each changed file is backed up)</source>
      <translation>Scrivi rifiuti e modifiche nei file di etichette (chiede prima; ogni file modificato viene salvato in copia)</translation>
    </message>
    <message>
      <source>Click a finding to zoom to its label</source>
      <translation>Clic su un risultato per andare alla sua etichetta</translation>
    </message>
    <message>
      <source>severity</source>
      <translation>gravità</translation>
    </message>
    <message>
      <source>file</source>
      <translation>file</translation>
    </message>
    <message>
      <source>Id</source>
      <translation>Id</translation>
    </message>
    <message>
      <source>check</source>
      <translation>controllo</translation>
    </message>
    <message>
      <source>message</source>
      <translation>messaggio</translation>
    </message>
    <message>
      <source>Queue</source>
      <translation>Coda</translation>
    </message>
    <message>
      <source>◀ (K)</source>
      <translation>◀ (K)</translation>
    </message>
    <message>
      <source>(J) ▶</source>
      <translation>(J) ▶</translation>
    </message>
    <message>
      <source>Load a label folder to review it.</source>
      <translation>Carica una cartella di etichette per revisionarla.</translation>
    </message>
    <message>
      <source>Accept (Y)</source>
      <translation>Accetta (Y)</translation>
    </message>
    <message>
      <source>Reject (N)</source>
      <translation>Rifiuta (N)</translation>
    </message>
    <message>
      <source>Change</source>
      <translation>Modifica</translation>
    </message>
    <message>
      <source>comment (kept with the decision)</source>
      <translation>commento (registrato con la decisione)</translation>
    </message>
    <message>
      <source>all</source>
      <translation>tutti</translation>
    </message>
    <message>
      <source>with findings</source>
      <translation>con segnalazioni</translation>
    </message>
    <message>
      <source>not reviewed</source>
      <translation>non revisionati</translation>
    </message>
    <message>
      <source>class {code}</source>
      <translation>classe {code}</translation>
    </message>
    <message>
      <source>Label folder to review</source>
      <translation>Cartella di etichette da revisionare</translation>
    </message>
    <message>
      <source>Audit failed: {why}</source>
      <translation>Controllo fallito: {why}</translation>
    </message>
    <message>
      <source>Apply the review</source>
      <translation>Applica la revisione</translation>
    </message>
    <message>
      <source>Label folder B to compare with</source>
      <translation>Cartella di etichette B da confrontare</translation>
    </message>
    <message>
      <source>Agreement not computed: {why}</source>
      <translation>Accordo non calcolato: {why}</translation>
    </message>
    <message>
      <source>Report not written: {why}</source>
      <translation>Rapporto non scritto: {why}</translation>
    </message>
    <message>
      <source>No label in this queue.</source>
      <translation>Nessuna etichetta in questa coda.</translation>
    </message>
    <message>
      <source>class</source>
      <translation>classe</translation>
    </message>
    <message>
      <source>n A</source>
      <translation>n A</translation>
    </message>
    <message>
      <source>n B</source>
      <translation>n B</translation>
    </message>
    <message>
      <source>same class</source>
      <translation>stessa classe</translation>
    </message>
    <message>
      <source>precision</source>
      <translation>precisione</translation>
    </message>
    <message>
      <source>recall</source>
      <translation>richiamo</translation>
    </message>
    <message>
      <source>F1</source>
      <translation>F1</translation>
    </message>
    <message>
      <source>Audit: {errors} error(s), {warnings} warning(s) in {files} file(s), {labels} label(s); the files were only read</source>
      <translation>Controllo: {errors} errore/i, {warnings} avviso/i in {files} file, {labels} etichetta/e; i file sono stati solo letti</translation>
    </message>
    <message>
      <source>Nothing to change: pick another class, Sign_Qual or Class_Unc</source>
      <translation>Niente da cambiare: scegli un'altra classe, Sign_Qual o Class_Unc</translation>
    </message>
    <message>
      <source>Write the latest rejections and changes of {log} into the label files of {folder}? Every changed file is backed up first in .mirage-backup/.</source>
      <translation>Scrivere gli ultimi rifiuti e cambiamenti di {log} nei file di etichette di {folder}? Ogni file cambiato viene prima salvato in .mirage-backup/.</translation>
    </message>
    <message>
      <source>Review applied: {removed} label(s) removed, {modified} changed in {files} file(s); backups in .mirage-backup/</source>
      <translation>Revisione applicata: {removed} etichetta/e rimossa/e, {modified} cambiata/e in {files} file; copie in .mirage-backup/</translation>
    </message>
    <message>
      <source>Agreement: {title}</source>
      <translation>Accordo: {title}</translation>
    </message>
    <message>
      <source>Report written: {file}</source>
      <translation>Rapporto scritto: {file}</translation>
    </message>
    <message>
      <source>Not recorded: {why}</source>
      <translation>Non registrato: {why}</translation>
    </message>
    <message>
      <source>Review not applied: {why}</source>
      <translation>Revisione non applicata: {why}</translation>
    </message>
  </context>
  <context>
    <name>Session</name>
    <message>
      <source>undone in {where}: {text}</source>
      <translation>annullato in {where}: {text}</translation>
    </message>
    <message>
      <source>redone in {where}: {text}</source>
      <translation>ripristinato in {where}: {text}</translation>
    </message>
    <message>
      <source> (this one)</source>
      <translation> (questo)</translation>
    </message>
    <message>
      <source>draw a box first</source>
      <translation>prima disegna un riquadro</translation>
    </message>
    <message>
      <source>choose a class</source>
      <translation>scegli una classe</translation>
    </message>
    <message>
      <source>IFG/Bt/Traj of this interferogram are unknown: supply them in step 0</source>
      <translation>IFG/Bt/Traj di questo interferogramma sono sconosciuti: indicali nel passo 0</translation>
    </message>
    <message>
      <source>Select a saved label to copy (a drawn box is saved first, in step 4)</source>
      <translation>Seleziona un'etichetta salvata da copiare (un riquadro disegnato va prima salvato, nel passo 4)</translation>
    </message>
    <message>
      <source>Saved {cls} {id} in {file}</source>
      <translation>Salvato {cls} {id} in {file}</translation>
    </message>
    <message>
      <source>The box would leave this interferogram</source>
      <translation>Il riquadro uscirebbe da questo interferogramma</translation>
    </message>
    <message>
      <source>label {id} saved</source>
      <translation>etichetta {id} salvata</translation>
    </message>
    <message>
      <source>label {id} deleted (Ctrl+Z brings it back)</source>
      <translation>etichetta {id} eliminata (Ctrl+Z la ripristina)</translation>
    </message>
    <message>
      <source>Copied {cls} {id} to {where} as label {new}: adjust it there (Ctrl+Z undoes)</source>
      <translation>Copiato {cls} {id} in {where} come etichetta {new}: correggila lì (Ctrl+Z annulla)</translation>
    </message>
    <message>
      <source>{file}: {n} label(s) kept, {lost} lost; the damaged files are in {backup}</source>
      <translation>{file}: {n} etichetta/e tenute, perse: {lost}; i file danneggiati sono in {backup}</translation>
    </message>
    <message>
      <source>{file} is still opening</source>
      <translation>{file} si sta ancora aprendo</translation>
    </message>
    <message>
      <source>The box lies outside this interferogram</source>
      <translation>Il riquadro è fuori da questo interferogramma</translation>
    </message>
    <message>
      <source>Strict mode: {reason}</source>
      <translation>Modalità rigorosa: {reason}</translation>
    </message>
    <message>
      <source>no interferogram on show</source>
      <translation>nessun interferogramma visualizzato</translation>
    </message>
    <message>
      <source>Not saved: {why}</source>
      <translation>Non salvato: {why}</translation>
    </message>
    <message>
      <source>Not copied: {why}</source>
      <translation>Non copiato: {why}</translation>
    </message>
    <message>
      <source>{folder}: cannot save ({why})</source>
      <translation>{folder}: impossibile salvare ({why})</translation>
    </message>
    <message>
      <source>Saved, keeping what another session changed meanwhile: {kept}</source>
      <translation>Salvato, tenendo quanto un'altra sessione ha cambiato nel frattempo: {kept}</translation>
    </message>
    <message>
      <source>{file}: not repaired ({why})</source>
      <translation>{file}: non riparato ({why})</translation>
    </message>
  </context>
  <context>
    <name>Steps</name>
    <message>
      <source>Select the interferogram</source>
      <translation>Seleziona l'interferogramma</translation>
    </message>
    <message>
      <source>Keep it when clear signals outweigh decorrelated or atmosphere-dominated areas (the kept MIRAGE set: mean coherence 0.45, ~15 % of pixels below 0.2).</source>
      <translation>Tienilo quando i segnali chiari prevalgono sulle aree decorrelate o dominate dall'atmosfera (l'insieme MIRAGE tenuto: coerenza media 0.45, ~15 % dei pixel sotto 0.2).</translation>
    </message>
    <message>
      <source>Identify wrapped-phase signals</source>
      <translation>Individua i segnali di fase arrotolata</translation>
    </message>
    <message>
      <source>Look for fringe patterns that stand out from the background and draw a box around a candidate.</source>
      <translation>Cerca frange che si distinguono dallo sfondo e disegna un riquadro attorno a un candidato.</translation>
    </message>
    <message>
      <source>Check morphological consistency</source>
      <translation>Verifica la coerenza morfologica</translation>
    </message>
    <message>
      <source>Compare with inventories, orthophotos, hillshade, slope, curvature: real movement fits the landform; artefacts, atmosphere and topographic residuals do not.</source>
      <translation>Confronta con inventari, ortofoto, ombreggiatura, pendenza, curvatura: un movimento reale è coerente con la forma del rilievo; artefatti, atmosfera e residui topografici no.</translation>
    </message>
    <message>
      <source>Check temporal recurrence (optional)</source>
      <translation>Verifica la ricorrenza temporale (facoltativo)</translation>
    </message>
    <message>
      <source>If doubt remains, look for the same signal in at least two interferograms, at least of the same baseline.</source>
      <translation>Se resta un dubbio, cerca lo stesso segnale in almeno due interferogrammi, almeno con la stessa baseline.</translation>
    </message>
    <message>
      <source>Classify and confirm the N-S box</source>
      <translation>Classifica e conferma il riquadro N-S</translation>
    </message>
    <message>
      <source>Choose class, signal quality and classification uncertainty; the box encloses the whole signal. Confirm saves the label.</source>
      <translation>Scegli classe, qualità del segnale e incertezza di classificazione; il riquadro racchiude tutto il segnale. Conferma salva l'etichetta.</translation>
    </message>
  </context>
  <context>
    <name>Styles</name>
    <message>
      <source>other (not a MIRAGE class)</source>
      <translation>altro (non una classe MIRAGE)</translation>
    </message>
  </context>
  <context>
    <name>TerrainPanel</name>
    <message>
      <source>Check the box being drawn or selected, or every label of a class in this interferogram</source>
      <translation>Verifica il riquadro disegnato o selezionato, o tutte le etichette di una classe in questo interferogramma</translation>
    </message>
    <message>
      <source>Check terrain</source>
      <translation>Verifica il terreno</translation>
    </message>
    <message>
      <source>Compare the terrain in the box with random ground outside every label (Fig. 7 of the MIRAGE paper)</source>
      <translation>Confronta il terreno nel riquadro con terreno casuale fuori da ogni etichetta (Fig. 7 dell'articolo MIRAGE)</translation>
    </message>
    <message>
      <source>Derive terrain layers</source>
      <translation>Ricava i layer del terreno</translation>
    </message>
    <message>
      <source>Write slope, aspect, curvatures, TRI and TWI from the workspace DEM into dem/</source>
      <translation>Scrivi pendenza, esposizione, curvature, TRI e TWI dal DEM dell'area di lavoro in dem/</translation>
    </message>
    <message>
      <source>the candidate or selected box</source>
      <translation>il riquadro candidato o selezionato</translation>
    </message>
    <message>
      <source>Checking the terrain…</source>
      <translation>Verifica del terreno…</translation>
    </message>
    <message>
      <source>Draw a box (step 1) or select a label to check its terrain.</source>
      <translation>Disegna un riquadro (passo 1) o seleziona un'etichetta per verificarne il terreno.</translation>
    </message>
    <message>
      <source>No terrain layers yet: derive them from the DEM (dem/dem.tif)</source>
      <translation>Ancora nessun layer del terreno: ricavali dal DEM (dem/dem.tif)</translation>
    </message>
    <message>
      <source>No DEM in this workspace (dem/dem.tif).</source>
      <translation>Nessun DEM in quest'area di lavoro (dem/dem.tif).</translation>
    </message>
    <message>
      <source>Terrain layers written to {folder}</source>
      <translation>Layer del terreno scritti in {folder}</translation>
    </message>
    <message>
      <source>Deriving the terrain layers was cancelled</source>
      <translation>Il calcolo dei layer del terreno è stato annullato</translation>
    </message>
    <message>
      <source>all {code} labels of this interferogram</source>
      <translation>tutte le etichette {code} di questo interferogramma</translation>
    </message>
    <message>
      <source>Terrain check failed: {why}</source>
      <translation>Verifica del terreno fallita: {why}</translation>
    </message>
    <message>
      <source>{dem}: terrain layers not derived ({why})</source>
      <translation>{dem}: layer del terreno non calcolati ({why})</translation>
    </message>
  </context>
  <context>
    <name>WorkspaceLayers</name>
    <message>
      <source>the tile URL holds spaces or control characters</source>
      <translation>l'URL delle tessere contiene spazi o caratteri di controllo</translation>
    </message>
    <message>
      <source>not an http or https URL</source>
      <translation>non è un URL http o https</translation>
    </message>
    <message>
      <source>the URL lacks the {z}, {x} and {y} placeholders of a tile URL</source>
      <translation>all'URL mancano i segnaposto {z}, {x} e {y} di un URL di tessere</translation>
    </message>
    <message>
      <source>not a URL</source>
      <translation>non è un URL</translation>
    </message>
    <message>
      <source>too large for a file holding a tile URL</source>
      <translation>troppo grande per un file che contiene un URL di tessere</translation>
    </message>
    <message>
      <source>holds no tile URL</source>
      <translation>non contiene alcun URL di tessere</translation>
    </message>
    <message>
      <source>QGIS cannot open it</source>
      <translation>QGIS non riesce ad aprirlo</translation>
    </message>
    <message>
      <source>not UTF-8 text</source>
      <translation>non è testo UTF-8</translation>
    </message>
    <message>
      <source>cannot be read ({why})</source>
      <translation>non si può leggere ({why})</translation>
    </message>
    <message>
      <source>{file}: skipped: QGIS cannot open this raster</source>
      <translation>{file}: saltato: QGIS non riesce ad aprire questo raster</translation>
    </message>
    <message>
      <source>{file}: skipped: {problem}</source>
      <translation>{file}: ignorato: {problem}</translation>
    </message>
    <message>
      <source>{file} would fetch tiles from {host} when chosen</source>
      <translation>{file} scaricherebbe le tessere da {host} una volta scelto</translation>
    </message>
    <message>
      <source>{file}: skipped: it cannot be read as a vector layer</source>
      <translation>{file}: saltato: non si può leggere come layer vettoriale</translation>
    </message>
  </context>
  <context>
    <name>core</name>
    <message>
      <source>{name}: no interferogram named {stem} in {ifg_dir}; IFG, Traj and footprint not checked</source>
      <translation>{name}: nessun interferogramma chiamato {stem} in {ifg_dir}; IFG, Traj e impronta non controllati</translation>
    </message>
    <message>
      <source>{name}: label {label_id} (record {index}) could not be checked ({why})</source>
      <translation>{name}: l'etichetta {label_id} (record {index}) non si è potuta controllare ({why})</translation>
    </message>
    <message>
      <source>{name}: duplicates not checked ({why})</source>
      <translation>{name}: duplicati non controllati ({why})</translation>
    </message>
    <message>
      <source>{name}: Id {label_id} is used by {n} labels</source>
      <translation>{name}: l'Id {label_id} è usato da {n} etichette</translation>
    </message>
    <message>
      <source>{name}: labels {label_id} and {label_id2} are the same box</source>
      <translation>{name}: le etichette {label_id} e {label_id2} sono lo stesso riquadro</translation>
    </message>
    <message>
      <source>{name}: labels {label_id} and {label_id2} are nearly the same box (IoU {v:.2f})</source>
      <translation>{name}: le etichette {label_id} e {label_id2} sono quasi lo stesso riquadro (IoU {v:.2f})</translation>
    </message>
    <message>
      <source>{name}: no .prj file: the coordinates' CRS is unknown (MIRAGE labels are EPSG:{MIRAGE_EPSG})</source>
      <translation>{name}: nessun file .prj: il SR delle coordinate è sconosciuto (le etichette MIRAGE sono in EPSG:{MIRAGE_EPSG})</translation>
    </message>
    <message>
      <source>{name}: no .cpg file; text is read as UTF-8</source>
      <translation>{name}: nessun file .cpg; il testo è letto come UTF-8</translation>
    </message>
    <message>
      <source>a CRS without an EPSG code</source>
      <translation>un SR senza codice EPSG</translation>
    </message>
    <message>
      <source>{name}: the .prj is {what}, not EPSG:{MIRAGE_EPSG} as MIRAGE labels are</source>
      <translation>{name}: il .prj è {what}, non EPSG:{MIRAGE_EPSG} come le etichette MIRAGE</translation>
    </message>
    <message>
      <source>{name}: extra field(s) {items} (not in the MIRAGE schema)</source>
      <translation>{name}: campo/i in più {items} (non nello schema MIRAGE)</translation>
    </message>
    <message>
      <source>{name}: {n} of its {expected} records could be read</source>
      <translation>{name}: si sono potuti leggere {n} dei suoi {expected} record</translation>
    </message>
    <message>
      <source>{name}: the {ext} file is missing; the shapefile is incomplete</source>
      <translation>{name}: manca il file {ext}; lo shapefile è incompleto</translation>
    </message>
    <message>
      <source>{name}: .cpg declares {value}, not UTF-8</source>
      <translation>{name}: il .cpg dichiara {value}, non UTF-8</translation>
    </message>
    <message>
      <source>{name}: the .prj cannot be interpreted as a CRS</source>
      <translation>{name}: il .prj non si può interpretare come SR</translation>
    </message>
    <message>
      <source>{name}: field {want} is missing</source>
      <translation>{name}: manca il campo {want}</translation>
    </message>
    <message>
      <source>{name}: field '{have}' should be spelled '{want}'</source>
      <translation>{name}: il campo '{have}' andrebbe scritto '{want}'</translation>
    </message>
    <message>
      <source>{name}: field {want} is {props}, not {kind}:{width}</source>
      <translation>{name}: il campo {want} è {props}, non {kind}:{width}</translation>
    </message>
    <message>
      <source>{name}: field {want} is {props}, narrower than {kind}:{width}</source>
      <translation>{name}: il campo {want} è {props}, più stretto di {kind}:{width}</translation>
    </message>
    <message>
      <source>{name}: text in the .dbf is not valid {encoding} (read again as Latin-1)</source>
      <translation>{name}: il testo nel .dbf non è {encoding} valido (riletto come Latin-1)</translation>
    </message>
    <message>
      <source>{name}: field {want} is {props}, wider than MIRAGE's {kind}:{width}</source>
      <translation>{name}: il campo {want} è {props}, più largo del {kind}:{width} di MIRAGE</translation>
    </message>
    <message>
      <source>{name}: holds {gtype} geometries, not polygons</source>
      <translation>{name}: contiene geometrie {gtype}, non poligoni</translation>
    </message>
    <message>
      <source>{name}: label {lid} has no geometry</source>
      <translation>{name}: l'etichetta {lid} non ha geometria</translation>
    </message>
    <message>
      <source>{name}: label {lid} has an empty geometry</source>
      <translation>{name}: l'etichetta {lid} ha una geometria vuota</translation>
    </message>
    <message>
      <source>{name}: label {lid} has NaN or infinite coordinates</source>
      <translation>{name}: l'etichetta {lid} ha coordinate NaN o infinite</translation>
    </message>
    <message>
      <source>{name}: label {lid} has a coordinate of {max:.3g}, beyond any map of the Earth</source>
      <translation>{name}: l'etichetta {lid} ha una coordinata di {max:.3g}, fuori da qualsiasi mappa della Terra</translation>
    </message>
    <message>
      <source>{name}: label {lid} has no area</source>
      <translation>{name}: l'etichetta {lid} non ha area</translation>
    </message>
    <message>
      <source>{name}: label {lid} has an invalid polygon (self-intersecting or malformed ring)</source>
      <translation>{name}: l'etichetta {lid} ha un poligono non valido (autointersecante o anello malformato)</translation>
    </message>
    <message>
      <source>{name}: label {lid} covers {env_area:.0f} m², less than four 15 m pixels ({MIN_AREA_M2:.0f} m²)</source>
      <translation>{name}: l'etichetta {lid} copre {env_area:.0f} m², meno di quattro pixel da 15 m ({MIN_AREA_M2:.0f} m²)</translation>
    </message>
    <message>
      <source>{name}: label {lid} is a rectangle but not north-south aligned (a vertex {max:.1f} m off its envelope's corners; tolerance {RECT_TOL_M} m)</source>
      <translation>{name}: l'etichetta {lid} è un rettangolo ma non allineato nord-sud (un vertice a {max:.1f} m dagli angoli del suo inviluppo; tolleranza {RECT_TOL_M} m)</translation>
    </message>
    <message>
      <source>{name}: label {lid} is not a rectangle ({value:.0%} of its envelope); its envelope is used</source>
      <translation>{name}: l'etichetta {lid} non è un rettangolo ({value:.0%} del suo inviluppo); si usa il suo inviluppo</translation>
    </message>
    <message>
      <source>{factor:.0f}× the {code} mean of {area} km² (paper, Table 2)</source>
      <translation>{factor:.0f}× la media {code} di {area} km² (articolo, Tabella 2)</translation>
    </message>
    <message>
      <source>{area} km²</source>
      <translation>{area} km²</translation>
    </message>
    <message>
      <source>{name}: label {lid} covers {km2:.2f} km², more than {ref}</source>
      <translation>{name}: l'etichetta {lid} copre {km2:.2f} km², più di {ref}</translation>
    </message>
    <message>
      <source>{name}: label {lid} lies outside its interferogram {name2}</source>
      <translation>{name}: l'etichetta {lid} è fuori dal suo interferogramma {name2}</translation>
    </message>
    <message>
      <source>{name}: label {lid} is {value:.0%} outside its interferogram</source>
      <translation>{name}: l'etichetta {lid} è per il {value:.0%} fuori dal suo interferogramma</translation>
    </message>
    <message>
      <source>{name}: label {lid}: {mean:.0%} of the box is nodata in {name2}</source>
      <translation>{name}: etichetta {lid}: il {mean:.0%} del riquadro è senza dati in {name2}</translation>
    </message>
    <message>
      <source>{name}: the interferogram of {name2} cannot be read ({why})</source>
      <translation>{name}: l'interferogramma di {name2} non si può leggere ({why})</translation>
    </message>
    <message>
      <source>{name}: label {lid}: {mean:.0%} of the box is below coherence {threshold:g}</source>
      <translation>{name}: etichetta {lid}: il {mean:.0%} del riquadro è sotto coerenza {threshold:g}</translation>
    </message>
    <message>
      <source>{problem}; the coherence of {name} is not checked</source>
      <translation>{problem}; la coerenza di {name} non è controllata</translation>
    </message>
    <message>
      <source>{name}: the coherence map of {name2} cannot be read ({why})</source>
      <translation>{name}: la mappa di coerenza di {name2} non si può leggere ({why})</translation>
    </message>
    <message>
      <source>{name}: label {label_id} not checked on {name2} ({why})</source>
      <translation>{name}: l'etichetta {label_id} non controllata su {name2} ({why})</translation>
    </message>
    <message>
      <source>{name}: record {index} has no usable Id ({value!r})</source>
      <translation>{name}: il record {index} non ha un Id utilizzabile ({value!r})</translation>
    </message>
    <message>
      <source>{name}: label {lid} has IFG {ifg!r}, not yyyymmdd_yyyymmdd</source>
      <translation>{name}: l'etichetta {lid} ha IFG {ifg!r}, non aaaammgg_aaaammgg</translation>
    </message>
    <message>
      <source>{name}: label {lid} has IFG {ifg}: the second date is not after the first</source>
      <translation>{name}: l'etichetta {lid} ha IFG {ifg}: la seconda data non segue la prima</translation>
    </message>
    <message>
      <source>{name}: label {lid} has IFG {ifg} but its interferogram is {ifg2}</source>
      <translation>{name}: l'etichetta {lid} ha IFG {ifg} ma il suo interferogramma è {ifg2}</translation>
    </message>
    <message>
      <source>{name}: label Id {label_id} is not positive</source>
      <translation>{name}: l'Id di etichetta {label_id} non è positivo</translation>
    </message>
    <message>
      <source>{name}: label {lid} has class {cls!r}, not one of {items}</source>
      <translation>{name}: l'etichetta {lid} ha classe {cls!r}, non una di {items}</translation>
    </message>
    <message>
      <source>{name}: label {lid} has Traj {traj!r}, not A or D</source>
      <translation>{name}: l'etichetta {lid} ha Traj {traj!r}, non A o D</translation>
    </message>
    <message>
      <source>{name}: label {lid} has IFG {ifg}, which is not a real pair of dates</source>
      <translation>{name}: l'etichetta {lid} ha IFG {ifg}, che non è una vera coppia di date</translation>
    </message>
    <message>
      <source>{name}: label {lid} has Bt {bt!r} but IFG {ifg} spans {days} days</source>
      <translation>{name}: l'etichetta {lid} ha Bt {bt!r} ma IFG {ifg} copre {days} giorni</translation>
    </message>
    <message>
      <source>{name}: label {lid} is {code} ({name2}), a class of the {region}, but lies in the {region2}</source>
      <translation>{name}: l'etichetta {lid} è {code} ({name2}), una classe di: {region}, ma si trova in: {region2}</translation>
    </message>
    <message>
      <source>{name}: label {lid} has {name2} {v!r}, not 1 or 2</source>
      <translation>{name}: l'etichetta {lid} ha {name2} {v!r}, non 1 o 2</translation>
    </message>
    <message>
      <source>{name}: label {lid} has Traj {traj} but its interferogram is {traj2}</source>
      <translation>{name}: l'etichetta {lid} ha Traj {traj} ma il suo interferogramma è {traj2}</translation>
    </message>
    <message>
      <source>{problem}; resampled onto the interferogram's grid</source>
      <translation>{problem}; ricampionata sulla griglia dell'interferogramma</translation>
    </message>
    <message>
      <source>skipped: {exc}</source>
      <translation>saltato: {exc}</translation>
    </message>
    <message>
      <source>{name}: labels in {here}, converted to {crs}</source>
      <translation>{name}: etichette in {here}, convertite in {crs}</translation>
    </message>
    <message>
      <source>{problem}; the layer {name} is left out of Fig. 7</source>
      <translation>{problem}; il layer {name} è escluso dalla Fig. 7</translation>
    </message>
    <message>
      <source>Fig. 7: {code} left out ({problem})</source>
      <translation>Fig. 7: {code} escluso ({problem})</translation>
    </message>
    <message>
      <source>{name}: in another CRS than {ref} ({crs}); not on its grid</source>
      <translation>{name}: in un CRS diverso da {ref} ({crs}); non è sulla sua griglia</translation>
    </message>
    <message>
      <source>{name}: {w}x{h} px, not on the {rw}x{rh} grid of {ref}</source>
      <translation>{name}: {w}x{h} px, non sulla griglia {rw}x{rh} di {ref}</translation>
    </message>
    <message>
      <source>{name}: lies {far:.4g} {unit} away from {ref}; not on its grid</source>
      <translation>{name}: si trova a {far:.4g} {unit} da {ref}; non è sulla sua griglia</translation>
    </message>
    <message>
      <source>{name}: no valid pixel found</source>
      <translation>{name}: nessun pixel valido trovato</translation>
    </message>
    <message>
      <source>{name}: {dtype} values {lo:.4g}..{hi:.4g} are not a known phase encoding</source>
      <translation>{name}: i valori {dtype} {lo:.4g}..{hi:.4g} non sono una codifica di fase nota</translation>
    </message>
    <message>
      <source>{name}: values {lo:.4g}..{hi:.4g} are neither 0-1 nor 0-255 coherence</source>
      <translation>{name}: i valori {lo:.4g}..{hi:.4g} non sono coerenza né 0-1 né 0-255</translation>
    </message>
    <message>
      <source>{name}: complex values ({dtype}); the phase is their angle</source>
      <translation>{name}: valori complessi ({dtype}); la fase è il loro argomento</translation>
    </message>
    <message>
      <source>{name}: DATA_UNITS={units}: this is a displacement map, not a phase</source>
      <translation>{name}: DATA_UNITS={units}: è una mappa di spostamento, non una fase</translation>
    </message>
    <message>
      <source>{name}: values {lo:.4g}..{hi:.4g} span more than one cycle: unwrapped phase? re-wrapped to [-pi, pi]</source>
      <translation>{name}: i valori {lo:.4g}..{hi:.4g} coprono più di un ciclo: fase srotolata? riavvolta in [-pi, pi]</translation>
    </message>
    <message>
      <source>{name}: phase stored as 8-bit integers; read as v/255*2pi - pi</source>
      <translation>{name}: fase salvata come interi a 8 bit; letta come v/255*2pi - pi</translation>
    </message>
    <message>
      <source>{name}: integer values {lo:.0f}..{hi:.0f} read as degrees</source>
      <translation>{name}: valori interi {lo:.0f}..{hi:.0f} letti come gradi</translation>
    </message>
    <message>
      <source>{name}: phase stored as 16-bit integers; read as v/32767*pi</source>
      <translation>{name}: fase salvata come interi a 16 bit; letta come v/32767*pi</translation>
    </message>
    <message>
      <source>{name}: phase stored as 16-bit unsigned integers; read as v/65535*2pi - pi</source>
      <translation>{name}: fase salvata come interi a 16 bit senza segno; letta come v/65535*2pi - pi</translation>
    </message>
    <message>
      <source>{name}: complex values cannot be a coherence map (an interferogram named like one?)</source>
      <translation>{name}: valori complessi non possono essere una mappa di coerenza (un interferogramma con un nome da coerenza?)</translation>
    </message>
    <message>
      <source>{name}: DATA_UNITS={units}: a displacement map, not coherence</source>
      <translation>{name}: DATA_UNITS={units}: una mappa di spostamento, non di coerenza</translation>
    </message>
    <message>
      <source>{name}: negative values ({lo:.4g}) cannot be coherence</source>
      <translation>{name}: valori negativi ({lo:.4g}) non possono essere coerenza</translation>
    </message>
    <message>
      <source>{name}: values {lo:.4g}..{hi:.4g} look like percent; read as v/100</source>
      <translation>{name}: i valori {lo:.4g}..{hi:.4g} sembrano percentuali; letti come v/100</translation>
    </message>
    <message>
      <source>{name}: coherence stored as 0-255 (LiCSAR style); read as v/255 with 0 as nodata</source>
      <translation>{name}: coerenza salvata come 0-255 (stile LiCSAR); letta come v/255 con 0 come nodata</translation>
    </message>
    <message>
      <source>{name}: phase in [0, 2pi]; re-wrapped to [-pi, pi]</source>
      <translation>{name}: fase in [0, 2pi]; riavvolta in [-pi, pi]</translation>
    </message>
    <message>
      <source>{name}: values {lo:.4g}..{hi:.4g} look like degrees; converted to radians</source>
      <translation>{name}: i valori {lo:.4g}..{hi:.4g} sembrano gradi; convertiti in radianti</translation>
    </message>
    <message>
      <source>dates: no master/slave dates found in '{basename}' (expected yyyymmdd_yyyymmdd, yyyymmdd-yyyymmdd, GMTSAR yyyyddd_yyyyddd, a HyP3 name or FIRST_DATE/SECOND_DATE tags); please supply them</source>
      <translation>date: nessuna data master/slave trovata in '{basename}' (attese aaaammgg_aaaammgg, aaaammgg-aaaammgg, GMTSAR aaaaggg_aaaaggg, un nome HyP3 o i tag FIRST_DATE/SECOND_DATE); indicale per favore</translation>
    </message>
    <message>
      <source>traj: no orbit direction found in '{basename}' (expected a frame id like 117A_05123_131313, a track token like T005A, or asc/desc, _A_/_D_); please supply A or D</source>
      <translation>traj: nessuna direzione d'orbita trovata in '{basename}' (atteso un id di frame come 117A_05123_131313, una traccia come T005A, oppure asc/desc, _A_/_D_); indica A o D per favore</translation>
    </message>
    <message>
      <source>dates: '{group}' in {where} has the second date ({b:%Y-%m-%d}) not after the first ({a:%Y-%m-%d}); master_slave order expected</source>
      <translation>date: '{group}' in {where} ha la seconda data ({b:%Y-%m-%d}) non successiva alla prima ({a:%Y-%m-%d}); atteso l'ordine master_slave</translation>
    </message>
    <message>
      <source>dates: the HyP3 name says a {hyp3_bt}-day pair but its dates are {bt} days apart</source>
      <translation>date: il nome HyP3 indica una coppia di {hyp3_bt} giorni ma le sue date distano {bt} giorni</translation>
    </message>
    <message>
      <source>Traj {guess} was {traj_source}; check it</source>
      <translation>Traj {guess}: {traj_source}; verificala</translation>
    </message>
    <message>
      <source>dates: both the master and the slave date are needed</source>
      <translation>date: servono sia la data master sia la slave</translation>
    </message>
    <message>
      <source>dates: {where} '{group}': {exc}</source>
      <translation>date: {where} '{group}': {exc}</translation>
    </message>
    <message>
      <source>dates: the slave date must come after the master date</source>
      <translation>date: la data slave deve seguire la data master</translation>
    </message>
    <message>
      <source>dates: GeoTIFF tags {k1}/{k2}: {exc}</source>
      <translation>date: tag GeoTIFF {k1}/{k2}: {exc}</translation>
    </message>
    <message>
      <source>dates: GeoTIFF tags {k1}={upper} and {k2}={upper2} are not in master/slave order</source>
      <translation>date: i tag GeoTIFF {k1}={upper} e {k2}={upper2} non sono nell'ordine master/slave</translation>
    </message>
    <message>
      <source>GeoTIFF tags {k1}/{k2} say {upper}/{upper2}, the name says {master}/{slave}; the name is used</source>
      <translation>i tag GeoTIFF {k1}/{k2} dicono {upper}/{upper2}, il nome dice {master}/{slave}; si usa il nome</translation>
    </message>
    <message>
      <source>coherence left out: {problem}</source>
      <translation>coerenza esclusa: {problem}</translation>
    </message>
    <message>
      <source>mean coherence {mean:.2f} (kept MIRAGE set: {kept})</source>
      <translation>coerenza media {mean:.2f} (insieme MIRAGE tenuto: {kept})</translation>
    </message>
    <message>
      <source>{share:.0%} of pixels below the coherence threshold</source>
      <translation>{share:.0%} dei pixel sotto la soglia di coerenza</translation>
    </message>
    <message>
      <source>only {share:.0%} of pixels hold data</source>
      <translation>solo il {share:.0%} dei pixel contiene dati</translation>
    </message>
    <message>
      <source>noisy phase: {share:.1%} residues</source>
      <translation>fase rumorosa: {share:.1%} residui</translation>
    </message>
    <message>
      <source>clear</source>
      <translation>pulito</translation>
    </message>
    <message>
      <source>not screened: {message}</source>
      <translation>non valutato: {message}</translation>
    </message>
    <message>
      <source>no valid coherence</source>
      <translation>nessuna coerenza valida</translation>
    </message>
    <message>
      <source>no coherence map</source>
      <translation>nessuna mappa di coerenza</translation>
    </message>
    <message>
      <source>'{text}' is not two dates yyyymmdd_yyyymmdd, the second after the first</source>
      <translation>'{text}' non sono due date yyyymmdd_yyyymmdd, la seconda dopo la prima</translation>
    </message>
    <message>
      <source>{path}: not saved over: it could not be read and could not be set aside; move it away to save the workspace state there</source>
      <translation>{path}: non sovrascritto: non si è potuto leggere né mettere da parte; spostalo altrove per salvarvi lo stato dell'area di lavoro</translation>
    </message>
    <message>
      <source>{first} (and {n} more problems)</source>
      <translation>{first} (e altri {n} problemi)</translation>
    </message>
    <message>
      <source>it could not be set aside, so it is left as it is and not saved over</source>
      <translation>non si è potuto mettere da parte, quindi resta com'è e non viene sovrascritto</translation>
    </message>
    <message>
      <source>an object</source>
      <translation>un oggetto</translation>
    </message>
    <message>
      <source>a list</source>
      <translation>una lista</translation>
    </message>
    <message>
      <source>a text</source>
      <translation>un testo</translation>
    </message>
    <message>
      <source>true or false</source>
      <translation>vero o falso</translation>
    </message>
    <message>
      <source>null</source>
      <translation>null</translation>
    </message>
    <message>
      <source>a number</source>
      <translation>un numero</translation>
    </message>
    <message>
      <source>set aside as {name}; the session starts without it</source>
      <translation>messo da parte come {name}; la sessione parte senza di esso</translation>
    </message>
    <message>
      <source>set aside as {name}; what could be read of it is used</source>
      <translation>messo da parte come {name}; si usa quanto se ne è potuto leggere</translation>
    </message>
    <message>
      <source>{path}: {problem}; {action}</source>
      <translation>{path}: {problem}; {action}</translation>
    </message>
    <message>
      <source>{name} is {kind}, not an object; ignored</source>
      <translation>{name} è {kind}, non un oggetto; ignorato</translation>
    </message>
    <message>
      <source>{name} is {kind}, not a text; ignored</source>
      <translation>{name} è {kind}, non un testo; ignorato</translation>
    </message>
    <message>
      <source>cannot be read ({why})</source>
      <translation>non si può leggere ({why})</translation>
    </message>
    <message>
      <source>not a JSON object but {kind}</source>
      <translation>non è un oggetto JSON ma {kind}</translation>
    </message>
    <message>
      <source>{name} is not a list of file names; ignored</source>
      <translation>{name} non è una lista di nomi di file; ignorato</translation>
    </message>
    <message>
      <source>dates or orbit given for {stem} could not be read; ignored</source>
      <translation>le date o l'orbita indicate per {stem} non si sono potute leggere; ignorate</translation>
    </message>
    <message>
      <source>recurrence marks of box {key} could not be read</source>
      <translation>i segni di ricorrenza del riquadro {key} non si possono leggere</translation>
    </message>
    <message>
      <source>triage of {stem} could not be read; left undecided</source>
      <translation>la valutazione di {stem} non si può leggere; lasciato da decidere</translation>
    </message>
    <message>
      <source>setting {name}={value!r} ignored</source>
      <translation>impostazione {name}={value!r} ignorata</translation>
    </message>
    <message>
      <source>not UTF-8 text (byte {at})</source>
      <translation>non è testo UTF-8 (byte {at})</translation>
    </message>
    <message>
      <source>not valid JSON ({why})</source>
      <translation>non è JSON valido ({why})</translation>
    </message>
    <message>
      <source>{name}: {problem}</source>
      <translation>{name}: {problem}</translation>
    </message>
    <message>
      <source>{root}: no interferogram found (expected rasters in {IFG_DIR}/)</source>
      <translation>{root}: nessun interferogramma trovato (attesi raster in {IFG_DIR}/)</translation>
    </message>
    <message>
      <source>{path}: a folder named like a raster file; skipped</source>
      <translation>{path}: una cartella con un nome da file raster; saltata</translation>
    </message>
    <message>
      <source>{name}: no coherence map with the same dates found</source>
      <translation>{name}: nessuna mappa di coerenza con le stesse date</translation>
    </message>
    <message>
      <source>edit {cls} {id}</source>
      <translation>modifica {cls} {id}</translation>
    </message>
    <message>
      <source>add {cls} {id}</source>
      <translation>aggiunta {cls} {id}</translation>
    </message>
    <message>
      <source>delete {cls} {id}</source>
      <translation>eliminazione {cls} {id}</translation>
    </message>
    <message>
      <source>move/resize {cls} {id}</source>
      <translation>spostamento/ridimensionamento {cls} {id}</translation>
    </message>
    <message>
      <source>reclassify {id} {old} -&gt; {new}</source>
      <translation>riclassificazione {id} {old} -&gt; {new}</translation>
    </message>
    <message>
      <source>{name}: label {label_id} is not an N-S rectangle; its bounding box is used</source>
      <translation>{name}: l'etichetta {label_id} non è un rettangolo N-S; si usa il suo riquadro di ingombro</translation>
    </message>
    <message>
      <source>{path}: {problem}; not read, so that no label is lost by a save - restore the file set from where it came (or its backup in {backup}/)</source>
      <translation>{path}: {problem}; non letto, perché un salvataggio non perda etichette - ripristina i file da dove provengono (o dal loro backup in {backup}/)</translation>
    </message>
    <message>
      <source>{n} record(s) whose attributes were cut off</source>
      <translation>{n} record i cui attributi sono stati troncati</translation>
    </message>
    <message>
      <source>{name}: extra field(s) {items} are ignored; they are kept in a backup if the file is rewritten</source>
      <translation>{name}: campo/i in più {items} ignorato/i; sono conservati in una copia se il file viene riscritto</translation>
    </message>
    <message>
      <source>{name}: no Id field; labels numbered 1..n</source>
      <translation>{name}: nessun campo Id; etichette numerate 1..n</translation>
    </message>
    <message>
      <source>{name}: {why}; coordinates taken as EPSG:{MIRAGE_EPSG}</source>
      <translation>{name}: {why}; coordinate considerate in EPSG:{MIRAGE_EPSG}</translation>
    </message>
    <message>
      <source>{name}: no .cpg file; text read in GDAL's default encoding</source>
      <translation>{name}: nessun file .cpg; testo letto nella codifica predefinita di GDAL</translation>
    </message>
    <message>
      <source>{name}: {renumbered} label(s) without a valid unique Id got new Ids</source>
      <translation>{name}: {renumbered} etichetta/e senza un Id valido e unico ha/hanno ricevuto nuovi Id</translation>
    </message>
    <message>
      <source>{name}: {what} ({count} value(s))</source>
      <translation>{name}: {what} ({count} valore/i)</translation>
    </message>
    <message>
      <source>{name}: field '{have}' read as '{want}'</source>
      <translation>{name}: campo '{have}' letto come '{want}'</translation>
    </message>
    <message>
      <source>{name}: Id {label_id} repeated (records {ids_seen} and {i}); the later one gets a new Id</source>
      <translation>{name}: Id {label_id} ripetuto (record {ids_seen} e {i}); il secondo riceve un nuovo Id</translation>
    </message>
    <message>
      <source>{where}: Class {cls} ({name}) belongs to the {home}, not the {region}</source>
      <translation>{where}: la classe {cls} ({name}) è tipica di: {home}, non di: {region}</translation>
    </message>
    <message>
      <source>label {id}</source>
      <translation>etichetta {id}</translation>
    </message>
    <message>
      <source>label</source>
      <translation>etichetta</translation>
    </message>
    <message>
      <source>{name}: not a valid shapefile header</source>
      <translation>{name}: intestazione di shapefile non valida</translation>
    </message>
    <message>
      <source>{name}: its header says {declared} bytes, the file has {size} (truncated or overwritten)</source>
      <translation>{name}: l'intestazione dice {declared} byte, il file ne ha {size} (troncato o sovrascritto)</translation>
    </message>
    <message>
      <source>{name}: {shapes} shapes but {records} attribute records</source>
      <translation>{name}: {shapes} geometrie ma {records} record di attributi</translation>
    </message>
    <message>
      <source>{name}: not a valid .dbf header</source>
      <translation>{name}: intestazione .dbf non valida</translation>
    </message>
    <message>
      <source>{name}: its header announces {n} records, the file holds {have} (truncated)</source>
      <translation>{name}: l'intestazione annuncia {n} record, il file ne contiene {have} (troncato)</translation>
    </message>
    <message>
      <source>{name}: cannot be read ({why})</source>
      <translation>{name}: non leggibile ({why})</translation>
    </message>
    <message>
      <source>{name}: a record header at byte {pos} is cut off</source>
      <translation>{name}: l'intestazione di un record al byte {pos} è troncata</translation>
    </message>
    <message>
      <source>{name}: record {n} at byte {pos} is damaged</source>
      <translation>{name}: il record {n} al byte {pos} è danneggiato</translation>
    </message>
    <message>
      <source>{name} does not index {shp} ({n_index} entries for {n_shp} shapes, or at other places): it may belong to another file</source>
      <translation>{name} non indicizza {shp} ({n_index} voci per {n_shp} geometrie, o in altre posizioni): forse appartiene a un altro file</translation>
    </message>
    <message>
      <source>keep this interferogram first (step 0)</source>
      <translation>prima tieni questo interferogramma (passo 0)</translation>
    </message>
    <message>
      <source>draw a candidate box first (step 1)</source>
      <translation>prima disegna un riquadro candidato (passo 1)</translation>
    </message>
    <message>
      <source>check the morphology first (step 2)</source>
      <translation>prima verifica la morfologia (passo 2)</translation>
    </message>
    <message>
      <source>{problem}; its labels are shown as that save left them, read-only</source>
      <translation>{problem}; le sue etichette sono mostrate come le ha lasciate quel salvataggio, in sola lettura</translation>
    </message>
    <message>
      <source>{path}: label {id} was changed by another session since it was shown here; it is not deleted - look at it again first</source>
      <translation>{path}: l'etichetta {id} è stata cambiata da un'altra sessione da quando è mostrata qui; non è eliminata - riguardala prima</translation>
    </message>
    <message>
      <source>{path}: label {id} was deleted by another session since it was shown here; your change is not saved</source>
      <translation>{path}: l'etichetta {id} è stata eliminata da un'altra sessione da quando è mostrata qui; la tua modifica non è salvata</translation>
    </message>
    <message>
      <source>{path}: label {id} was changed by another session since it was shown here ({what}); your change is not saved - the map shows theirs</source>
      <translation>{path}: l'etichetta {id} è stata cambiata da un'altra sessione da quando è mostrata qui ({what}); la tua modifica non è salvata - la mappa mostra la loro</translation>
    </message>
    <message>
      <source>already deleted by another session</source>
      <translation>già eliminata da un'altra sessione</translation>
    </message>
    <message>
      <source>{path}: a link to outside the workspace or a folder named like a raster; not copied into the pack</source>
      <translation>{path}: un collegamento a fuori del workspace o una cartella con un nome da raster; non copiato nel pacchetto</translation>
    </message>
    <message>
      <source>{name} ({region}): {shape}, {texture} phase signal; typical box {area:g} km², seen best at Bt {baseline}</source>
      <translation>{name} ({region}): segnale di fase {shape}, {texture}; riquadro tipico {area:g} km², visto meglio con Bt {baseline}</translation>
    </message>
    <message>
      <source>Artefact: fringes from the atmosphere, DEM errors or geometric distortions, without a landform under them; both regions.</source>
      <translation>Artefatto: frange dovute all'atmosfera, a errori del DEM o a distorsioni geometriche, senza una forma del terreno sotto; entrambe le regioni.</translation>
    </message>
    <message>
      <source>{days} d</source>
      <translation>{days} g</translation>
    </message>
    <message>
      <source>any</source>
      <translation>qualsiasi</translation>
    </message>
    <message>
      <source>not read: {problem}</source>
      <translation>non letto: {problem}</translation>
    </message>
    <message>
      <source>label {id} ({cls}) matches no signal of the key; it sits on flat terrain (median slope {slope:.1f}°): could it be atmosphere?</source>
      <translation>l'etichetta {id} ({cls}) non corrisponde a nessun segnale della soluzione; sta su terreno pianeggiante (pendenza mediana {slope:.1f}°): potrebbe essere atmosfera?</translation>
    </message>
    <message>
      <source>label {id} ({cls}) matches no signal of the key</source>
      <translation>l'etichetta {id} ({cls}) non corrisponde a nessun segnale della soluzione</translation>
    </message>
    <message>
      <source>label {id} ({cls}) in {stem} is seen in only one interferogram, but the key finds it in {seen}: step 3 (recurrence) would have confirmed it</source>
      <translation>l'etichetta {id} ({cls}) in {stem} è vista in un solo interferogramma, ma la soluzione la trova in {seen}: il passo 3 (ricorrenza) l'avrebbe confermata</translation>
    </message>
    <message>
      <source>label {id}: right place, but the key says {key} ({name}: {shape}, {texture} fringes, usually {area:g} km²), not {mine}</source>
      <translation>etichetta {id}: posto giusto, ma la soluzione dice {key} ({name}: segnale {shape} e {texture}, di solito {area:g} km²), non {mine}</translation>
    </message>
    <message>
      <source>label {id}: right place, but the key says {key}, not {mine}</source>
      <translation>etichetta {id}: posto giusto, ma la soluzione dice {key}, non {mine}</translation>
    </message>
    <message>
      <source>label {id} ({cls}) is an artefact in the key: fringes without a landform under them. Check step 2: does the terrain agree?</source>
      <translation>l'etichetta {id} ({cls}) è un artefatto nella soluzione: frange senza una forma del terreno sotto. Rivedi il passo 2: il terreno è coerente?</translation>
    </message>
    <message>
      <source>a {cls} signal was missed in {ifg} {traj} (Bt {bt} d)</source>
      <translation>un segnale {cls} è sfuggito in {ifg} {traj} (Bt {bt} g)</translation>
    </message>
    <message>
      <source>median slope {inside:.1f}° inside, {outside:.1f}° outside (KS D={d:.2f})</source>
      <translation>pendenza mediana {inside:.1f}° dentro, {outside:.1f}° fuori (KS D={d:.2f})</translation>
    </message>
    <message>
      <source>ascending</source>
      <translation>ascendente</translation>
    </message>
    <message>
      <source>descending</source>
      <translation>discendente</translation>
    </message>
    <message>
      <source>the {track} track sees {share:.0%} of a downslope motion on this slope (aspect {aspect:.0f}°)</source>
      <translation>l'orbita {track} vede il {share:.0%} di un moto lungo questo versante (esposizione {aspect:.0f}°)</translation>
    </message>
    <message>
      <source>flat terrain (median slope {slope:.1f}°): could the fringes be atmosphere or a topographic residual?</source>
      <translation>terreno pianeggiante (pendenza mediana {slope:.1f}°): le frange potrebbero essere atmosfera o un residuo topografico?</translation>
    </message>
    <message>
      <source>coherence not used: {problem}</source>
      <translation>coerenza non usata: {problem}</translation>
    </message>
    <message>
      <source>{share:.0%} of the box below coherence {threshold:g}</source>
      <translation>{share:.0%} del riquadro sotto coerenza {threshold:g}</translation>
    </message>
    <message>
      <source>overlaps inventory {hit}</source>
      <translation>si sovrappone all'inventario {hit}</translation>
    </message>
    <message>
      <source>low line-of-sight sensitivity: the {track} track sees only {share:.0%} of downslope motion on this slope (aspect {aspect:.0f}°, slope {slope:.0f}°), which faces along the satellite's flight direction</source>
      <translation>bassa sensibilità lungo la linea di vista: l'orbita {track} vede solo il {share:.0%} del moto lungo questo versante (esposizione {aspect:.0f}°, pendenza {slope:.0f}°), esposto lungo la direzione di volo del satellite</translation>
    </message>
    <message>
      <source>low line-of-sight sensitivity: the {track} track sees only {share:.0%} of downslope motion on this slope (aspect {aspect:.0f}°, slope {slope:.0f}°): the motion runs almost across the line of sight</source>
      <translation>bassa sensibilità lungo la linea di vista: l'orbita {track} vede solo il {share:.0%} del moto lungo questo versante (esposizione {aspect:.0f}°, pendenza {slope:.0f}°): il moto è quasi perpendicolare alla linea di vista</translation>
    </message>
    <message>
      <source>mostly decorrelated: {share:.0%} of the box is below coherence {threshold:g}</source>
      <translation>in gran parte decorrelato: il {share:.0%} del riquadro è sotto coerenza {threshold:g}</translation>
    </message>
    <message>
      <source>Artefact</source>
      <translation>Artefatto</translation>
    </message>
    <message>
      <source>both</source>
      <translation>entrambe</translation>
    </message>
    <message>
      <source>Deep-seated gravitational slope deformation</source>
      <translation>Deformazione gravitativa profonda di versante</translation>
    </message>
    <message>
      <source>Alps</source>
      <translation>Alpi</translation>
    </message>
    <message>
      <source>broad</source>
      <translation>ampio</translation>
    </message>
    <message>
      <source>homogeneous</source>
      <translation>omogeneo</translation>
    </message>
    <message>
      <source>Debris slide</source>
      <translation>Scivolamento di detrito</translation>
    </message>
    <message>
      <source>localised</source>
      <translation>localizzato</translation>
    </message>
    <message>
      <source>heterogeneous</source>
      <translation>eterogeneo</translation>
    </message>
    <message>
      <source>Rockslide</source>
      <translation>Scivolamento in roccia</translation>
    </message>
    <message>
      <source>Rock glacier</source>
      <translation>Rock glacier</translation>
    </message>
    <message>
      <source>elongated</source>
      <translation>allungato</translation>
    </message>
    <message>
      <source>Protalus rampart</source>
      <translation>Protalus rampart</translation>
    </message>
    <message>
      <source>Talus</source>
      <translation>Falda detritica</translation>
    </message>
    <message>
      <source>Earthflow in clay-shales</source>
      <translation>Colata in argilliti</translation>
    </message>
    <message>
      <source>Apennines</source>
      <translation>Appennini</translation>
    </message>
    <message>
      <source>Earthslide in clay-shales</source>
      <translation>Scivolamento in argilliti</translation>
    </message>
    <message>
      <source>Rockslide in flysch rocks</source>
      <translation>Scivolamento in flysch</translation>
    </message>
  </context>
</TS>
