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
      <translation>Le dieci classi di MIRAGE (articolo, Tabella 2 e Data Overview). Gli esempi sono i riquadri delle etichette di questo workspace sul loro interferogramma.</translation>
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
      <source>no example in this workspace</source>
      <translation>nessun esempio in questo workspace</translation>
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
  </context>
  <context>
    <name>MirageDock</name>
    <message>
      <source>MIRAGE Labeller</source>
      <translation>MIRAGE Labeller</translation>
    </message>
    <message>
      <source>Workspace</source>
      <translation>Workspace</translation>
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
      <translation>Apri un workspace per iniziare.</translation>
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
      <source>Tick the interferograms where the signal is present; double-click one to go there</source>
      <translation>Spunta gli interferogrammi in cui il segnale è presente; doppio clic per andarci</translation>
    </message>
  </context>
  <context>
    <name>ReviewDock</name>
    <message>
      <source>a folder of label shapefiles</source>
      <translation>una cartella di shapefile di etichette</translation>
    </message>
    <message>
      <source>…</source>
      <translation>…</translation>
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
      <translation>Controlla schema, valori, geometria, duplicati e, con il workspace aperto, gli interferogrammi (sola lettura)</translation>
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
      <source>Click a finding to zoom to its label</source>
      <translation>Clic su un risultato per andare alla sua etichetta</translation>
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
      <translation>Scrivi pendenza, esposizione, curvature, TRI e TWI dal DEM del workspace in dem/</translation>
    </message>
  </context>
</TS>
