<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>FigureExport</name>
    <message>
        <location filename="../app/gui/figure_export.cpp" line="+105"/>
        <source>wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1: no such file (the learning curves are drawn from it)</source>
        <translation>%1: Datei fehlt (die Lernkurven werden daraus gezeichnet)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: no epochs in the file</source>
        <translation>%1: keine Epochen in der Datei</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 and %2 disagree on the number of neurons (%3 and %4)</source>
        <translation>%1 und %2 nennen verschieden viele Neuronen (%3 und %4)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>note: the data section of %1 differs from the one stored in %2; the figures follow %1</source>
        <translation>Hinweis: der Datenabschnitt von %1 weicht von dem in %2 gespeicherten ab; die Abbildungen folgen %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: cannot create the folder</source>
        <translation>%1: der Ordner kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>note: the validation segment is only %1 s; drawing all of it</source>
        <translation>Hinweis: der Validierungsabschnitt ist nur %1 s lang; er wird ganz gezeichnet</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>note: %1 maps no ground-truth synaptic current (isyn); synaptic_current.png skipped</source>
        <translation>Hinweis: %1 ordnet keinen gemessenen synaptischen Strom (isyn) zu; synaptic_current.png entfällt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>done in %1 s</source>
        <translation>fertig in %1 s</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../app/gui/language.cpp" line="+128"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;System default</source>
        <translation>&amp;Systemvorgabe</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new language takes effect when RMM Workbench is restarted.</source>
        <translation>Die neue Sprache gilt nach einem Neustart von RMM Workbench.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../app/gui/main_window.cpp" line="+50"/>
        <source>%1 kHz</source>
        <translation>%1 kHz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 Hz</source>
        <translation>%1 Hz</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 s (%2 min %3 s)</source>
        <translation>%1 s (%2 min %3 s)</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <location filename="../widgets/plot_export.cpp" line="+66"/>
        <source>Nothing to export: the view has no plots.</source>
        <translation>Nichts zu exportieren: Die Ansicht enthält keine Grafiken.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Figure size must be between 1 and 2000 mm.</source>
        <translation>Die Abbildungsgröße muss zwischen 1 und 2000 mm liegen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resolution must be between 30 and 2400 dpi.</source>
        <translation>Die Auflösung muss zwischen 30 und 2400 dpi liegen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot export to &apos;%1&apos;: use a .png, .pdf or .svg file name.</source>
        <translation>Export nach „%1“ nicht möglich: Verwenden Sie einen Dateinamen auf .png, .pdf oder .svg.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+62"/>
        <source>Could not write &apos;%1&apos;: %2</source>
        <translation>„%1“ konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>The figure is too large for memory at %1 dpi.</source>
        <translation>Die Abbildung ist bei %1 dpi zu groß für den Arbeitsspeicher.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>RMM Workbench figure</source>
        <translation>Abbildung aus RMM Workbench</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not render the figure to &apos;%1&apos;.</source>
        <translation>Die Abbildung konnte nicht nach „%1“ gerendert werden.</translation>
    </message>
</context>
<context>
    <name>Predictions</name>
    <message>
        <location filename="../app/gui/compute_predictions.cpp" line="+30"/>
        <source>Whole trial %1, %2 s</source>
        <translation>Ganzer Versuch %1, %2 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Validation segment of %1, %2 s</source>
        <translation>Validierungsabschnitt von %1, %2 s</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>, restarted from the recording every %1 s</source>
        <translation>, alle %1 s von der Aufzeichnung neu gestartet</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>neuron %1</source>
        <translation>Neuron %1</translation>
    </message>
</context>
<context>
    <name>PredictionsPage</name>
    <message>
        <location filename="../app/gui/result_pages.cpp" line="+233"/>
        <source>%1 and %2 cannot be drawn over one another: their neurons or simulated samples differ</source>
        <translation>%1 und %2 können nicht übereinander gezeichnet werden: ihre Neuronen oder simulierten Abtastwerte unterscheiden sich</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 vs %2 · %3</source>
        <translation>%1 gegen %2 · %3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not enough memory to simulate.</source>
        <translation>Nicht genug Arbeitsspeicher für die Simulation.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/gui/run_store.cpp" line="+19"/>
        <source>%1, %2 epochs, %3 mini-batches, lr %4, ρ %5, seed %6, %7 synapse(s)</source>
        <translation>%1, %2 Epochen, %3 Mini-Batches, Lernrate %4, ρ %5, Seed %6, %7 Synapse(n)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Validation: angular separation %1 (free run restarted every %2 s), %3 over one free run</source>
        <translation>Validierung: Winkelabstand %1 (freier Lauf alle %2 s neu gestartet), %3 über einen freien Lauf</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Validation: angular separation %1 (one free run)</source>
        <translation>Validierung: Winkelabstand %1 (ein freier Lauf)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Neuron %1: C %2 nF, leak %3 µS (τ %4 ms)</source>
        <translation>Neuron %1: C %2 nF, Leck %3 µS (τ %4 ms)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>; synaptic current r %1, amplitude %2× the recorded</source>
        <translation>; synaptischer Strom r %1, Amplitude %2× der aufgezeichneten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Free run over %1 s: within the recorded range</source>
        <translation>Freier Lauf über %1 s: im aufgezeichneten Bereich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Free run over %1 s: not physiological</source>
        <translation>Freier Lauf über %1 s: nicht physiologisch</translation>
    </message>
    <message>
        <location filename="../app/gui/screenshot_tour.cpp" line="+86"/>
        <source>Learning curves</source>
        <translation>Lernkurven</translation>
    </message>
    <message>
        <location filename="../app/gui/session.cpp" line="+226"/>
        <source>Could not create the folder %1 for the run models.</source>
        <translation>Der Ordner %1 für die Modelle der Läufe konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not a session file (invalid JSON: %2)</source>
        <translation>%1 ist keine Sitzungsdatei (ungültiges JSON: %2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not an RMM Workbench session</source>
        <translation>%1 ist keine Sitzung von RMM Workbench</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is a session of format version %2; this build reads versions 1 to %3</source>
        <translation>%1 ist eine Sitzung im Format Version %2; diese Version liest die Formatversionen 1 bis %3</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>demo recording</source>
        <translation>Demo-Aufzeichnung</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>%1: damaged session (%2)</source>
        <translation>%1: beschädigte Sitzung (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>SweepFigure</name>
    <message>
        <location filename="../app/gui/sweep_figure.cpp" line="+46"/>
        <source>cannot plot the sweep: %1</source>
        <translation>Sweep kann nicht gezeichnet werden: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>--key %1: not a swept key of %2 (its keys: %3)</source>
        <translation>--key %1: kein variierter Schlüssel von %2 (seine Schlüssel: %3)</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>Sweep %1: %n run(s)</source>
        <translation>
            <numerusform>Sweep %1: %n Lauf</numerusform>
            <numerusform>Sweep %1: %n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 done</source>
        <translation>, %1 fertig</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <location filename="../app/gui/training_worker.cpp" line="+68"/>
        <source>Not enough memory to train this model.</source>
        <translation>Nicht genug Arbeitsspeicher, um dieses Modell zu trainieren.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="+42"/>
        <source>could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Train and inspect Recurrent Mechanistic Models of neural circuits.</source>
        <translation>Recurrent Mechanistic Models (RMM) neuronaler Schaltkreise trainieren und untersuchen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Print the version and exit.</source>
        <translation>Version ausgeben und beenden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Generate and open the demo recording.</source>
        <translation>Die Demo-Aufzeichnung erzeugen und öffnen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Length of each demo trial in seconds.</source>
        <translation>Länge jedes Demo-Durchgangs in Sekunden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>After loading, save a screenshot of the window to FILE and quit.</source>
        <translation>Nach dem Laden ein Bildschirmfoto des Fensters in DATEI speichern und beenden.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>With --demo: train briefly, save a screenshot of every view into DIR and quit.</source>
        <translation>Mit --demo: kurz trainieren, von jeder Ansicht ein Bildschirmfoto in VERZEICHNIS speichern und beenden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Epochs of the tour&apos;s run.</source>
        <translation>Epochen des Laufs der Tour.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Draw the free run, synaptic current and learning curve figures of the run that rmm train --out RUN_DIR wrote, and quit.</source>
        <translation>Die Abbildungen (freier Lauf, synaptischer Strom, Lernkurven) des Laufs zeichnen, den rmm train --out RUN_DIR geschrieben hat, und beenden.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>With --export-run-figures: the experiment config of the run.</source>
        <translation>Mit --export-run-figures: die Experimentkonfiguration des Laufs.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>With --export-run-figures: the folder for the PNG files.</source>
        <translation>Mit --export-run-figures: der Ordner für die PNG-Dateien.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>With --export-run-figures: seconds of the validation segment drawn.</source>
        <translation>Mit --export-run-figures: gezeichnete Sekunden des Validierungsabschnitts.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Draw the best validation AS of the sweep in DIR against its swept keys (rmm sweep summary&apos;s summary.png) and quit.</source>
        <translation>Die beste Validierungs-AS des Sweeps in DIR gegen seine variierten Schlüssel zeichnen (summary.png von rmm sweep summary) und beenden.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>With --export-sweep-plot: the figure file (.png, .pdf or .svg).</source>
        <translation>Mit --export-sweep-plot: die Abbildungsdatei (.png, .pdf oder .svg).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>With --export-sweep-plot: only this swept key (default: one panel per key).</source>
        <translation>Mit --export-sweep-plot: nur dieser variierte Schlüssel (Vorgabe: ein Feld je Schlüssel).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open the sweep folder DIR (rmm sweep run --out DIR) in the Sweep tab.</source>
        <translation>Den Sweep-Ordner DIR (rmm sweep run --out DIR) im Reiter Sweep öffnen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add the run that rmm train --out DIR wrote (repeatable).</source>
        <translation>Den Lauf hinzufügen, den rmm train --out DIR geschrieben hat (wiederholbar).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recording to open.</source>
        <translation>Zu öffnende Aufzeichnung.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--export-run-figures needs --config CONFIG, --figures-out DIR and --figure-seconds in (0, 3600]</source>
        <translation>--export-run-figures braucht --config CONFIG, --figures-out DIR und --figure-seconds in (0, 3600]</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>--export-sweep-plot needs --figure-out FILE (.png, .pdf or .svg)</source>
        <translation>--export-sweep-plot braucht --figure-out DATEI (.png, .pdf oder .svg)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>--demo-seconds needs a number of seconds in (0, 3600]</source>
        <translation>--demo-seconds braucht eine Anzahl Sekunden in (0, 3600]</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>give at most one FILE</source>
        <translation>höchstens eine DATEI angeben</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--screenshot needs FILE or --demo</source>
        <translation>--screenshot braucht DATEI oder --demo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>--screenshot-views needs --demo</source>
        <translation>--screenshot-views braucht --demo</translation>
    </message>
</context>
<context>
    <name>rmm</name>
    <message>
        <location filename="../app/gui/run_import.cpp" line="+39"/>
        <source>%1 holds no model.h5: choose the folder that `rmm train --out` wrote</source>
        <translation>%1 enthält keine model.h5: Wählen Sie den Ordner, den `rmm train --out` geschrieben hat</translation>
    </message>
</context>
<context>
    <name>rmm::AnalysisPage</name>
    <message>
        <location filename="../app/gui/result_pages.cpp" line="+32"/>
        <location line="+52"/>
        <source>Select a finished run to analyse its conductances.</source>
        <translation>Wählen Sie einen abgeschlossenen Lauf, um seine Leitfähigkeiten zu analysieren.</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>Neuron to analyse</source>
        <translation>Zu analysierendes Neuron</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Neuron whose frequency-dependent conductance map is shown</source>
        <translation>Neuron, dessen frequenzabhängige Leitfähigkeitskarte gezeigt wird</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Include synapses onto the neuron</source>
        <translation>Synapsen auf das Neuron einbeziehen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add the synaptic currents onto the neuron as if every neuron shared its voltage</source>
        <translation>Die synaptischen Ströme auf das Neuron hinzunehmen, als hätten alle Neuronen seine Spannung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Neuron</source>
        <translation>Neuron</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;No analysis yet&lt;/p&gt;&lt;p&gt;Select a finished run in the Train tab: its model is read here as frequency-dependent conductances G(v, f) and B(v, f), with candidate fold and Neimark-Sacker points.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;Noch keine Analyse&lt;/p&gt;&lt;p&gt;Wählen Sie im Tab Training einen abgeschlossenen Lauf: sein Modell wird hier als frequenzabhängige Leitfähigkeiten G(v, f) und B(v, f) gelesen, mit Kandidaten für Fold- und Neimark-Sacker-Punkte.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 has no trained model yet.</source>
        <translation>%1 hat noch kein trainiertes Modell.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 · best epoch %2</source>
        <translation>%1 · beste Epoche %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>computing…</source>
        <translation>wird berechnet…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 mV at %2 Hz</source>
        <translation>%1 mV bei %2 Hz</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>[%1, %2] mV</source>
        <translation>[%1, %2] mV</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>fold candidates: none found in %1</source>
        <translation>Fold-Kandidaten: keine in %1 gefunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fold candidates at %1 mV</source>
        <translation>Fold-Kandidaten bei %1 mV</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Neimark-Sacker candidates: none found in %1</source>
        <translation>Neimark-Sacker-Kandidaten: keine in %1 gefunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Neimark-Sacker candidates at %1</source>
        <translation>Neimark-Sacker-Kandidaten bei %1</translation>
    </message>
</context>
<context>
    <name>rmm::AutosaveDialog</name>
    <message>
        <location filename="../app/gui/autosave_dialog.cpp" line="+16"/>
        <source>Restore autosaved session</source>
        <translation>Automatisch gesicherte Sitzung wiederherstellen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Each workbench window saves its runs automatically every minute and on quit. Choose the session to open (newest first):</source>
        <translation>Jedes Fenster der Workbench sichert seine Läufe jede Minute und beim Beenden automatisch. Wählen Sie die Sitzung, die geöffnet werden soll (neueste zuerst):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved</source>
        <translation>Gesichert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Recording</source>
        <translation>Aufzeichnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Autosaved sessions</source>
        <translation>Automatisch gesicherte Sitzungen</translation>
    </message>
</context>
<context>
    <name>rmm::ChannelMapDialog</name>
    <message>
        <location filename="../widgets/channel_map_dialog.cpp" line="+79"/>
        <source>Channel map</source>
        <translation>Kanalzuordnung</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Assign, per neuron, the measured voltage v, the injected current u and optionally the ground-truth synaptic current (used only to score predictions, never to train). Leave a unit empty to use the file&apos;s.</source>
        <translation>Ordnen Sie jedem Neuron die gemessene Spannung v, den injizierten Strom u und optional den bekannten synaptischen Strom (Ground Truth) zu; dieser dient nur zur Bewertung der Vorhersagen, nie zum Training. Lassen Sie eine Einheit leer, um die der Datei zu verwenden.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Number of neurons</source>
        <translation>Anzahl der Neuronen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Neurons of the circuit model: one row per neuron below.</source>
        <translation>Neuronen des Schaltkreismodells: unten eine Zeile je Neuron.</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>Neurons</source>
        <translation>Neuronen</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Voltage v</source>
        <translation>Spannung v</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Injected u</source>
        <translation>Injiziert u</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ground truth I_syn</source>
        <translation>Referenz I_syn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>v unit</source>
        <translation>Einheit v</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>u unit</source>
        <translation>Einheit u</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>I_syn unit</source>
        <translation>Einheit I_syn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channel assignment per neuron</source>
        <translation>Kanalzuordnung je Neuron</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Trials to use</source>
        <translation>Zu verwendende Durchgänge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trials used for training; none checked means every trial.</source>
        <translation>Für das Training verwendete Durchgänge; ist keiner markiert, werden alle verwendet.</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>Trials</source>
        <translation>Durchgänge</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>The first fraction of every trial trains the model.</source>
        <translation>Mit dem ersten Anteil jedes Durchgangs wird das Modell trainiert.</translation>
    </message>
    <message>
        <location line="-86"/>
        <location line="+87"/>
        <source>Training fraction</source>
        <translation>Trainingsanteil</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The last fraction of the validation trial is the validation segment.</source>
        <translation>Der letzte Anteil des Validierungsdurchgangs ist der Validierungsabschnitt.</translation>
    </message>
    <message>
        <location line="-92"/>
        <location line="+93"/>
        <source>Validation fraction</source>
        <translation>Validierungsanteil</translation>
    </message>
    <message>
        <location line="-92"/>
        <location line="+95"/>
        <source>Validation trial</source>
        <translation>Validierungsdurchgang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trial whose last part validates; default: the first trial used.</source>
        <translation>Durchgang, dessen letzter Teil zur Validierung dient; Vorgabe: der erste verwendete Durchgang.</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>Zero-phase low-pass of voltages</source>
        <translation>Phasenfreier Tiefpass der Spannungen</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>3rd-order Butterworth, forward and backward, before training.</source>
        <translation>Butterworth 3. Ordnung, vorwärts und rückwärts, vor dem Training.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> Hz</source>
        <translation> Hz</translation>
    </message>
    <message>
        <location line="-100"/>
        <source>Pre-filter cut-off</source>
        <translation>Grenzfrequenz des Vorfilters</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>Neuron %1</source>
        <translation>Neuron %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>from file</source>
        <translation>aus der Datei</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>a voltage</source>
        <translation>eine Spannung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>a current</source>
        <translation>ein Strom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Neuron %1, %2</source>
        <translation>Neuron %1, %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: channel &apos;%2&apos; is in %3, not %4; choose another channel (or correct the unit if the file&apos;s is wrong)</source>
        <translation>%1: Kanal &apos;%2&apos; ist in %3, nicht %4; wählen Sie einen anderen Kanal (oder korrigieren Sie die Einheit, wenn die der Datei falsch ist)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(first trial used)</source>
        <translation>(erster verwendeter Durchgang)</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>%1: the recording has no channels to map</source>
        <translation>%1: die Aufzeichnung hat keine Kanäle zum Zuordnen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Neuron %1: the voltage and the injected current are both &apos;%2&apos;</source>
        <translation>Neuron %1: Spannung und injizierter Strom sind beide &apos;%2&apos;</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Channel map: choose at least one trial</source>
        <translation>Kanalzuordnung: wählen Sie mindestens einen Versuch</translation>
    </message>
</context>
<context>
    <name>rmm::ConductanceMap</name>
    <message>
        <location filename="../widgets/conductance_map.cpp" line="+123"/>
        <source>membrane voltage v (mV)</source>
        <translation>Membranspannung v (mV)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>conductance G(v, f)</source>
        <translation>Leitfähigkeit G(v, f)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>susceptance B(v, f)</source>
        <translation>Suszeptanz B(v, f)</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+1"/>
        <source>frequency (Hz)</source>
        <translation>Frequenz (Hz)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>steady-state current u∞ (nA)</source>
        <translation>stationärer Strom u∞ (nA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>steady-state conductance G∞ (%1)</source>
        <translation>stationäre Leitfähigkeit G∞ (%1)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>G (%1)</source>
        <translation>G (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B (%1)</source>
        <translation>B (%1)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>G = 0</source>
        <translation>G = 0</translation>
    </message>
    <message>
        <location line="+219"/>
        <source>fold (saddle-node) candidate
v = %1 mV
f = 0 Hz (G∞(v) = 0)</source>
        <translation>Kandidat für Falte (Sattel-Knoten)
v = %1 mV
f = 0 Hz (G∞(v) = 0)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Neimark-Sacker candidate
v = %1 mV
f = %2 Hz (ω = %3 rad/ms)</source>
        <translation>Kandidat für Neimark-Sacker-Bifurkation
v = %1 mV
f = %2 Hz (ω = %3 rad/ms)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>v = %1 mV, f = %2 Hz
G = %3 %5, B = %4 %5</source>
        <translation>v = %1 mV, f = %2 Hz
G = %3 %5, B = %4 %5</translation>
    </message>
</context>
<context>
    <name>rmm::ExportDialog</name>
    <message>
        <location filename="../widgets/export_dialog.cpp" line="+23"/>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Panels in the figure</source>
        <translation>Teilbilder der Abbildung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked panels are stacked top to bottom into one figure.</source>
        <translation>Die markierten Teilbilder werden von oben nach unten zu einer Abbildung gestapelt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Panels</source>
        <translation>Teilbilder</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Output file</source>
        <translation>Ausgabedatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The suffix chooses the format: .png (raster), .pdf or .svg (vector).</source>
        <translation>Die Dateiendung bestimmt das Format: .png (Raster), .pdf oder .svg (Vektor).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)</source>
        <translation>PNG-Bild (*.png);;PDF-Dokument (*.pdf);;SVG-Zeichnung (*.svg)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> mm</source>
        <translation> mm</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Figure width</source>
        <translation>Breite der Abbildung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figure height</source>
        <translation>Höhe der Abbildung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Physical width; 180 mm is a two-column journal figure.</source>
        <translation>Physische Breite; 180 mm entsprechen einer zweispaltigen Abbildung in einer Fachzeitschrift.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Width</source>
        <translation>Breite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Height</source>
        <translation>Höhe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> dpi</source>
        <translation> dpi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PNG resolution</source>
        <translation>PNG-Auflösung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolution of PNG files (PDF and SVG are vector graphics).</source>
        <translation>Auflösung von PNG-Dateien (PDF und SVG sind Vektorgrafiken).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PNG: %1 × %2 pixels</source>
        <translation>PNG: %1 × %2 Pixel</translation>
    </message>
</context>
<context>
    <name>rmm::GettingStartedDialog</name>
    <message>
        <location filename="../app/gui/getting_started.cpp" line="+24"/>
        <location line="+3"/>
        <source>Getting started</source>
        <translation>Erste Schritte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;h3&gt;From a recording to a figure&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Open a recording&lt;/b&gt;: File &amp;gt; Open… (Ctrl+O) reads ABF, NWB, RTXI HDF5, MATLAB and CSV files; File &amp;gt; Open demo recording generates a half-center oscillator. Drop a file on the window to open it.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Map the channels&lt;/b&gt;: Train &amp;gt; Channel map… (Ctrl+M): per neuron the measured voltage, the injected current and, when you have it, the ground-truth synaptic current (%1).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Train&lt;/b&gt;: the Train tab&apos;s Model and Trainer forms start at the paper&apos;s settings; Start (F5) trains in the background with live learning curves; Stop (Shift+F5) keeps the best snapshot (%2).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Predictions&lt;/b&gt;: the selected run&apos;s free run on the validation segment against the recording, and its predicted synaptic currents (%3).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Analysis&lt;/b&gt;: the model read as frequency-dependent conductances, with candidate fold and Neimark-Sacker points.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Export&lt;/b&gt;: File &amp;gt; Export figure… (Ctrl+E) writes any plots as PDF, SVG or PNG at a size in millimetres; File &amp;gt; Export data… the numbers. Save the session (Ctrl+S) to keep runs and settings; the same training runs from scripts with &lt;code&gt;rmm train&lt;/code&gt; (%4).&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;h3&gt;Von der Aufzeichnung zur Abbildung&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Aufzeichnung öffnen&lt;/b&gt;: Datei &amp;gt; Öffnen… (Strg+O) liest ABF-, NWB-, RTXI-HDF5-, MATLAB- und CSV-Dateien; Datei &amp;gt; Demo-Aufzeichnung öffnen erzeugt einen Halbzentren-Oszillator. Eine auf das Fenster gezogene Datei wird geöffnet.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Kanäle zuordnen&lt;/b&gt;: Training &amp;gt; Kanalzuordnung… (Strg+M): je Neuron die gemessene Spannung, der injizierte Strom und, wenn vorhanden, der wahre synaptische Strom (%1).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Trainieren&lt;/b&gt;: die Formulare Modell und Trainer im Tab Training beginnen mit den Einstellungen der Veröffentlichung; Start (F5) trainiert im Hintergrund mit laufenden Lernkurven; Stopp (Umschalt+F5) behält den besten Stand (%2).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Vorhersagen&lt;/b&gt;: der freie Lauf des gewählten Laufs auf dem Validierungsabschnitt gegen die Aufzeichnung, und seine vorhergesagten synaptischen Ströme (%3).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Analyse&lt;/b&gt;: das Modell als frequenzabhängige Leitfähigkeiten gelesen, mit Kandidaten für Fold- und Neimark-Sacker-Punkte.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Export&lt;/b&gt;: Datei &amp;gt; Abbildung exportieren… (Strg+E) schreibt beliebige Diagramme als PDF, SVG oder PNG in einer Größe in Millimetern; Datei &amp;gt; Daten exportieren… die Zahlen. Sichern Sie die Sitzung (Strg+S), um Läufe und Einstellungen zu behalten; dasselbe Training läuft aus Skripten mit &lt;code&gt;rmm train&lt;/code&gt; (%4).&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>config reference</source>
        <translation>Konfigurationsreferenz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training settings</source>
        <translation>Trainingseinstellungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the workbench</source>
        <translation>die Workbench</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the rmm tool</source>
        <translation>das Werkzeug rmm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>open a recording</source>
        <translation>Aufzeichnung öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>open a session</source>
        <translation>Sitzung öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>save the session / save it as</source>
        <translation>Sitzung speichern / speichern unter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>export a figure / export data</source>
        <translation>Abbildung exportieren / Daten exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>channel map</source>
        <translation>Kanalzuordnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start / pause / stop training</source>
        <translation>Training starten / anhalten / stoppen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>remove the selected runs / put them back</source>
        <translation>gewählte Läufe entfernen / zurückholen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fit the traces</source>
        <translation>Spuren einpassen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>zoom time (over a y axis: that axis), pan, zoom to a rectangle</source>
        <translation>Zeit zoomen (über einer y-Achse: diese Achse), verschieben, auf ein Rechteck zoomen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>previous / next zoom</source>
        <translation>vorheriger / nächster Zoom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>previous / next sweep</source>
        <translation>vorheriger / nächster Sweep</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>measurement cursors on the traces</source>
        <translation>Messcursor auf den Spuren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>plot menu: fit, cursors, sweeps, copy values, export</source>
        <translation>Diagrammmenü: einpassen, Cursor, Sweeps, Werte kopieren, exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this help</source>
        <translation>diese Hilfe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;h3&gt;Keyboard and mouse&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;Tastatur und Maus&lt;/h3&gt;</translation>
    </message>
</context>
<context>
    <name>rmm::LearningCurvePlot</name>
    <message>
        <location filename="../widgets/learning_curve_plot.cpp" line="+22"/>
        <source>Learning curves</source>
        <translation>Lernkurven</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <location line="+15"/>
        <location line="+129"/>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <location line="-145"/>
        <source>validation angular separation</source>
        <translation>Winkelabstand (Validierung)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>wall time (min)</source>
        <translation>Laufzeit (min)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Horizontal axis of the learning curves</source>
        <translation>Horizontale Achse der Lernkurven</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plot the curves against the epoch, or against the wall time since each run started (validation included) to compare methods at equal time.</source>
        <translation>Die Kurven über der Epoche oder über der seit dem Start jedes Laufs vergangenen Zeit (Validierung eingeschlossen) zeichnen, um Methoden bei gleicher Zeit zu vergleichen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Horizontal axis:</source>
        <translation>Horizontale Achse:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Wheel zooms, drag pans, double-click fits. Stars mark each run’s best snapshot (highest validation angular separation score).</source>
        <translation>Mausrad zoomt, Ziehen verschiebt, Doppelklick passt ein. Sterne markieren den besten Zwischenstand jedes Laufs (höchster Winkelabstand-Wert der Validierung).</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 best</source>
        <translation>%1 bester</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>wall time since start (min)</source>
        <translation>Zeit seit dem Start (min)</translation>
    </message>
</context>
<context>
    <name>rmm::MainWindow</name>
    <message>
        <location filename="../app/gui/main_window.cpp" line="+12"/>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;No recording open&lt;/p&gt;&lt;p&gt;File &amp;gt; Open… (Ctrl+O) opens a recording;&lt;br&gt;File &amp;gt; Open demo recording generates a half-center oscillator.&lt;/p&gt;&lt;p&gt;You can also drop a file here.&lt;/p&gt;&lt;p&gt;New here? Help &amp;gt; Getting started (F1) shows the first steps.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;Keine Aufzeichnung geöffnet&lt;/p&gt;&lt;p&gt;Datei &amp;gt; Öffnen… (Strg+O) öffnet eine Aufzeichnung;&lt;br&gt;Datei &amp;gt; Demo-Aufzeichnung öffnen erzeugt einen Halbzentren-Oszillator.&lt;/p&gt;&lt;p&gt;Sie können auch eine Datei hierher ziehen.&lt;/p&gt;&lt;p&gt;Neu hier? Hilfe &amp;gt; Erste Schritte (F1) zeigt die ersten Schritte.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Recording</source>
        <translation>Auf&amp;zeichnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Train</source>
        <translation>&amp;Training</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Predictions</source>
        <translation>&amp;Vorhersagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Analysis</source>
        <translation>A&amp;nalyse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Recording summary</source>
        <translation>Übersicht der Aufzeichnung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading progress</source>
        <translation>Ladefortschritt</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+167"/>
        <location line="+117"/>
        <location filename="../app/gui/main_window_session.cpp" line="+87"/>
        <source>RMM Workbench</source>
        <translation>RMM Workbench</translation>
    </message>
    <message>
        <location line="-205"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open…</source>
        <translation>&amp;Öffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a recording file</source>
        <translation>Eine Aufzeichnungsdatei öffnen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;demo recording</source>
        <translation>&amp;Demo-Aufzeichnung öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generate the built-in half-center oscillator recording</source>
        <translation>Die eingebaute Aufzeichnung eines Halbzentren-Oszillators erzeugen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open s&amp;weep folder…</source>
        <translation>S&amp;weep-Ordner öffnen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the runs of a hyperparameter sweep (the folder of rmm sweep run or rmm sweep slurm)</source>
        <translation>Die Läufe eines Hyperparameter-Sweeps vergleichen (der Ordner von rmm sweep run oder rmm sweep slurm)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Export figure…</source>
        <translation>Abbildung &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save plots of any view as one PNG, PDF or SVG figure</source>
        <translation>Grafiken beliebiger Ansichten als eine PNG-, PDF- oder SVG-Abbildung speichern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export &amp;data…</source>
        <translation>Daten e&amp;xportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the selected run&apos;s curves and predictions as CSV or HDF5</source>
        <translation>Kurven und Vorhersagen des gewählten Laufs als CSV oder HDF5 speichern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit RMM Workbench</source>
        <translation>RMM Workbench beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Fit</source>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the whole trial and each channel&apos;s full range (or double-click the plot)</source>
        <translation>Den ganzen Durchgang und den vollen Bereich jedes Kanals zeigen (oder Doppelklick in die Grafik)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>T&amp;rain</source>
        <translation>T&amp;raining</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Getting started</source>
        <translation>&amp;Erste Schritte</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>First steps from a recording to a figure, and the keyboard shortcuts</source>
        <translation>Erste Schritte von der Aufzeichnung zur Abbildung, und die Tastenkürzel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About RMM Workbench</source>
        <translation>&amp;Über RMM Workbench</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Version, licence and mouse controls</source>
        <translation>Version, Lizenz und Maussteuerung</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open recording</source>
        <translation>Aufzeichnung öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recordings (*.abf *.nwb *.h5 *.hdf5 *.mat *.csv);;All files (*)</source>
        <translation>Aufzeichnungen (*.abf *.nwb *.h5 *.hdf5 *.mat *.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>%1 — RMM Workbench</source>
        <translation>%1 — RMM Workbench</translation>
    </message>
    <message>
        <location line="+121"/>
        <source>No recording open</source>
        <translation>Keine Aufzeichnung geöffnet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>1 trial</source>
        <translation>1 Durchgang</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 trials</source>
        <translation>%1 Durchgänge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 channel</source>
        <translation>1 Kanal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 channels</source>
        <translation>%1 Kanäle</translation>
    </message>
    <message>
        <location line="+19"/>
        <location filename="../app/gui/main_window_session.cpp" line="+104"/>
        <location line="+41"/>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>About RMM Workbench</source>
        <translation>Über RMM Workbench</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;RMM Workbench %1&lt;/h3&gt;&lt;p&gt;Recurrent Mechanistic Models of small neural circuits.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Mouse:&lt;/b&gt; wheel zooms time (over a y axis: that axis); drag pans; Ctrl+drag zooms to a rectangle; double-click fits (on a y axis: that channel).&lt;/p&gt;&lt;p&gt;Licensed under the GNU GPL, version 3 or later. Plots by QCustomPlot.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;RMM Workbench %1&lt;/h3&gt;&lt;p&gt;Recurrent Mechanistic Models (RMM) kleiner neuronaler Schaltkreise.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Maus:&lt;/b&gt; Das Mausrad zoomt die Zeit (über einer y-Achse: diese Achse); Ziehen verschiebt; Strg+Ziehen zoomt auf ein Rechteck; Doppelklick passt ein (auf einer y-Achse: diesen Kanal).&lt;/p&gt;&lt;p&gt;Lizenziert unter der GNU GPL, Version 3 oder neuer. Grafiken mit QCustomPlot.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>the demo recording</source>
        <translation>der Demo-Aufzeichnung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting for the recording to load…</source>
        <translation>Warten, bis die Aufzeichnung geladen ist…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 was trained on %2, but its content has changed since (the fingerprint of its samples differs). Predictions would not be the run&apos;s: open the recording it was trained on.</source>
        <translation>%1 wurde auf %2 trainiert, aber deren Inhalt hat sich seitdem geändert (der Fingerabdruck der Messwerte weicht ab). Die Vorhersagen wären nicht die des Laufs: öffnen Sie die Aufzeichnung, auf der er trainiert wurde.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 was trained on %2, which is missing (moved, renamed or deleted). Open it where it is now (File &gt; Open) to see the predictions.</source>
        <translation>%1 wurde auf %2 trainiert, die fehlt (verschoben, umbenannt oder gelöscht). Öffnen Sie sie dort, wo sie jetzt liegt (Datei &gt; Öffnen), um die Vorhersagen zu sehen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 was trained on %2: opening it…</source>
        <translation>%1 wurde auf %2 trainiert: sie wird geöffnet…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opening %1, the recording of %2</source>
        <translation>%1 wird geöffnet, die Aufzeichnung von %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Training is running.</source>
        <translation>Das Training läuft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop it, keep the run with its best model so far in the session, and quit? (Stop takes effect after the current mini-batch.)</source>
        <translation>Anhalten, den Lauf mit seinem bisher besten Modell in der Sitzung behalten und beenden? (Das Anhalten wirkt nach dem laufenden Mini-Batch.)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop and keep the best model</source>
        <translation>Anhalten und bestes Modell behalten</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Stopping the training to quit…</source>
        <translation>Training wird zum Beenden angehalten…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>quitting</source>
        <translation>dem Beenden</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window_session.cpp" line="-189"/>
        <source>Open &amp;session…</source>
        <translation>&amp;Sitzung öffnen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a saved session: recording, channel map, settings and runs</source>
        <translation>Eine gespeicherte Sitzung öffnen: Aufzeichnung, Kanalzuordnung, Einstellungen und Läufe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save session</source>
        <translation>Sitzung s&amp;peichern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the session with its runs and their model files</source>
        <translation>Die Sitzung mit ihren Läufen und deren Modelldateien speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save session &amp;as…</source>
        <translation>Sitzung speichern &amp;unter…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No autosaved session yet</source>
        <translation>Noch keine automatisch gesicherte Sitzung</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>&amp;Restore autosaved session…</source>
        <translation>Automatisch gesicherte Sitzung &amp;wiederherstellen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open one of the sessions saved automatically every minute and on quit (one per window, newest first)</source>
        <translation>Eine der jede Minute und beim Beenden automatisch gesicherten Sitzungen öffnen (eine je Fenster, neueste zuerst)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Import rmm train results…</source>
        <translation>Ergebnisse von rmm train &amp;importieren…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder written by rmm train --out</source>
        <translation>Von rmm train --out geschriebener Ordner</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add a run trained with the rmm command-line tool (model.h5, curves.csv, report.json) to the run list</source>
        <translation>Einen mit dem Kommandozeilenwerkzeug rmm trainierten Lauf (model.h5, curves.csv, report.json) zur Laufliste hinzufügen</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>The session has %n run(s) that are not saved.</source>
        <translation>
            <numerusform>Die Sitzung hat %n Lauf, der nicht gespeichert ist.</numerusform>
            <numerusform>Die Sitzung hat %n Läufe, die nicht gespeichert sind.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the session before %1? If you don&apos;t, the runs stay only in the autosave (File &gt; Restore autosaved session).</source>
        <translation>Die Sitzung vor %1 speichern? Wenn nicht, bleiben die Läufe nur in der automatischen Sicherung (Datei &gt; Automatisch gesicherte Sitzung wiederherstellen).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Don&apos;t save</source>
        <translation>Nicht speichern</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The session&apos;s settings could not be restored: %1</source>
        <translation>Die Einstellungen der Sitzung konnten nicht wiederhergestellt werden: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open session</source>
        <translation>Sitzung öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+10"/>
        <source>Sessions (%1)</source>
        <translation>Sitzungen (%1)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Save session</source>
        <translation>Sitzung speichern</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Recording traces</source>
        <translation>Spuren der Aufzeichnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning curves</source>
        <translation>Lernkurven</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predictions</source>
        <translation>Vorhersagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conductance map</source>
        <translation>Leitfähigkeitskarte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sweep plot</source>
        <translation>Sweep-Diagramm</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Train or select a run first: data export writes the selected run&apos;s curves and predictions.</source>
        <translation>Trainieren oder wählen Sie zuerst einen Lauf: Der Datenexport schreibt die Kurven und Vorhersagen des gewählten Laufs.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Learning curves, CSV (*.csv)</source>
        <translation>Lernkurven, CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Predictions, CSV (*.csv)</source>
        <translation>Vorhersagen, CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Curves and predictions, HDF5 (*.h5)</source>
        <translation>Kurven und Vorhersagen, HDF5 (*.h5)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export data</source>
        <translation>Daten exportieren</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Open the Predictions view for this run first.</source>
        <translation>Öffnen Sie zuerst die Ansicht Vorhersagen für diesen Lauf.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Imported %1 from %2</source>
        <translation>%1 aus %2 importiert</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window_sweep.cpp" line="+25"/>
        <source>Sweep folder (rmm sweep run --out DIR)</source>
        <translation>Sweep-Ordner (rmm sweep run --out DIR)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>S&amp;weep</source>
        <translation>S&amp;weep</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Opened the sweep %1</source>
        <translation>Sweep %1 geöffnet</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Reading the sweep %1…</source>
        <translation>Sweep %1 wird gelesen…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Opened %1 from %2</source>
        <translation>%1 aus %2 geöffnet</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 was trained on another recording than %2: its predictions are not drawn over them</source>
        <translation>%1 wurde an einer anderen Aufnahme als %2 trainiert: seine Vorhersagen werden nicht darüber gezeichnet</translation>
    </message>
</context>
<context>
    <name>rmm::ModelForm</name>
    <message>
        <location filename="../widgets/model_form.cpp" line="+60"/>
        <source>Intrinsic MLP: give the widths of up to %2 hidden layers (1 to %3), e.g. %1</source>
        <translation>Intrinsisches MLP: geben Sie die Breiten von bis zu %2 verborgenen Schichten an (1 bis %3), z. B. %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lumped synapse MLP: give the widths of up to %2 hidden layers (1 to %3), e.g. %1</source>
        <translation>MLP der zusammengefassten Synapse: geben Sie die Breiten von bis zu %2 verborgenen Schichten an (1 bis %3), z. B. %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Number of neurons in the circuit; set by the channel map (one voltage and one injected-current channel per neuron).</source>
        <translation>Anzahl der Neuronen im Schaltkreis; durch die Kanalzuordnung festgelegt (je Neuron ein Spannungs- und ein Kanal für den injizierten Strom).</translation>
    </message>
    <message>
        <location line="+128"/>
        <source>Neurons</source>
        <translation>Neuronen</translation>
    </message>
    <message>
        <location line="-122"/>
        <source>From (j)</source>
        <translation>Von (j)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To (i)</source>
        <translation>Nach (i)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+119"/>
        <location line="+11"/>
        <source>Synapses</source>
        <translation>Synapsen</translation>
    </message>
    <message>
        <location line="-128"/>
        <source>Connectivity j → i. A lumped synapse is an MLP of the presynaptic filter states giving the whole current; a conductance synapse is ḡ s(z) (v_i − E_syn), with s an MLP gate.</source>
        <translation>Verbindungen j → i. Eine zusammengefasste Synapse ist ein MLP der präsynaptischen Filterzustände, das den ganzen Strom liefert; eine Leitfähigkeitssynapse ist ḡ s(z) (v_i − E_syn) mit einem MLP-Gate s.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add synapse</source>
        <translation>Synapse hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Time constants τ (ms) of the intrinsic filter bank, comma separated. Paper: fast+slow {0.2k} ∪ {2k} ∪ {10+10k} and ultraslow {200k−100}, k = 1..8 (32).</source>
        <translation>Zeitkonstanten τ (ms) der intrinsischen Filterbank, durch Kommas getrennt. Artikel: schnell+langsam {0.2k} ∪ {2k} ∪ {10+10k} und ultralangsam {200k−100}, k = 1..8 (32).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Intrinsic time constants</source>
        <translation>Intrinsische Zeitkonstanten</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Intrinsic τ (ms)</source>
        <translation>Intrinsisches τ (ms)</translation>
    </message>
    <message>
        <location line="-80"/>
        <source>Time constants τ (ms) of the synaptic filter bank of each presynaptic voltage. Paper: the fast+slow set (24).</source>
        <translation>Zeitkonstanten τ (ms) der synaptischen Filterbank jeder präsynaptischen Spannung. Artikel: die schnelle+langsame Menge (24).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Synaptic time constants</source>
        <translation>Synaptische Zeitkonstanten</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Synaptic τ (ms)</source>
        <translation>Synaptisches τ (ms)</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>Hidden layer widths of the intrinsic-current MLP of each neuron. Paper: 20, 20, 20.</source>
        <translation>Breiten der verdeckten Schichten des MLP für den intrinsischen Strom jedes Neurons. Artikel: 20, 20, 20.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intrinsic MLP widths</source>
        <translation>Breiten des intrinsischen MLP</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Intrinsic MLP</source>
        <translation>Intrinsisches MLP</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>Hidden layer widths of a lumped synapse MLP. Paper: 10, 10, 10.</source>
        <translation>Breiten der verdeckten Schichten des MLP einer zusammengefassten Synapse. Artikel: 10, 10, 10.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lumped synapse MLP widths</source>
        <translation>Breiten des MLP zusammengefasster Synapsen</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Lumped synapse MLP</source>
        <translation>MLP zusammengefasster Synapsen</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Hidden width of the gate MLP s(z) of a conductance synapse. Paper: 20.</source>
        <translation>Breite der verdeckten Schicht des Gate-MLP s(z) einer Leitfähigkeitssynapse. Artikel: 20.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conductance synapse MLP width</source>
        <translation>MLP-Breite der Leitfähigkeitssynapse</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Conductance gate width</source>
        <translation>Breite des Leitfähigkeits-Gates</translation>
    </message>
    <message>
        <location line="-67"/>
        <location line="+5"/>
        <location line="+1"/>
        <location line="+29"/>
        <source> mV</source>
        <translation> mV</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Reversal potential E_syn of conductance synapses (fixed, not trained). Paper: −80 mV.</source>
        <translation>Umkehrpotential E_syn der Leitfähigkeitssynapsen (fest, nicht trainiert). Artikel: −80 mV.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synaptic reversal potential</source>
        <translation>Synaptisches Umkehrpotential</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>E_syn</source>
        <translation>E_syn</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>Presynaptic voltage range mapped to [−1, 1] at the input of s(z). Paper: −60 to −40 mV.</source>
        <translation>Präsynaptischer Spannungsbereich, der am Eingang von s(z) auf [−1, 1] abgebildet wird. Artikel: −60 bis −40 mV.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Activation range low</source>
        <translation>Aktivierungsbereich unten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activation range high</source>
        <translation>Aktivierungsbereich oben</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Activation range</source>
        <translation>Aktivierungsbereich</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>Initial maximal conductance ḡ = softplus(·) of conductance synapses. Paper: 1.</source>
        <translation>Anfängliche maximale Leitfähigkeit ḡ = softplus(·) der Leitfähigkeitssynapsen. Artikel: 1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial maximal conductance</source>
        <translation>Anfängliche maximale Leitfähigkeit</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Initial ḡ</source>
        <translation>Anfangswert ḡ</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Membrane capacitance in nF as measured on the rig (membrane test): one value for every neuron or one per neuron, comma separated. Empty: learned from the data.</source>
        <translation>Membrankapazität in nF, wie am Messplatz gemessen (Membrantest): ein Wert für alle Neuronen oder einer je Neuron, durch Kommas getrennt. Leer: aus den Daten gelernt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Membrane capacitance</source>
        <translation>Membrankapazität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>learned</source>
        <translation>gelernt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only as a start (learn C)</source>
        <translation>nur als Startwert (C lernen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unchecked: the measured capacitance is kept fixed during training.</source>
        <translation>Nicht angehakt: die gemessene Kapazität bleibt beim Training fest.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learn the capacitance</source>
        <translation>Kapazität lernen</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+3"/>
        <source>Capacitance (nF)</source>
        <translation>Kapazität (nF)</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>The leak starts at zero current at this voltage (offset b = −g·E).</source>
        <translation>Der Leckstrom beginnt bei dieser Spannung mit null (Versatz b = −g·E).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leak rest voltage</source>
        <translation>Ruhespannung des Leckstroms</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Leak starts at rest</source>
        <translation>Leckstrom null bei</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>lumped</source>
        <translation>zusammengefasst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>conductance</source>
        <translation>Leitfähigkeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Synapse kind</source>
        <translation>Art der Synapse</translation>
    </message>
    <message>
        <location line="-203"/>
        <source>Intrinsic τ (ms): give positive time constants, e.g. %1</source>
        <translation>Intrinsische τ (ms): geben Sie positive Zeitkonstanten an, z. B. %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Synaptic τ (ms): give positive time constants, e.g. %1</source>
        <translation>Synaptische τ (ms): geben Sie positive Zeitkonstanten an, z. B. %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Capacitance (nF): give one value, or one per neuron (e.g. %1), or leave it empty to learn it</source>
        <translation>Kapazität (nF): geben Sie einen Wert an, oder einen je Neuron (z. B. %1), oder lassen Sie das Feld leer, um sie zu lernen</translation>
    </message>
</context>
<context>
    <name>rmm::PredictionsPage</name>
    <message>
        <location filename="../app/gui/result_pages.cpp" line="-328"/>
        <source>Validation segment</source>
        <translation>Validierungsabschnitt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Segment to simulate</source>
        <translation>Zu simulierender Abschnitt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulate the validation segment (held out from training) or a whole trial</source>
        <translation>Den Validierungsabschnitt (vom Training zurückgehalten) oder einen ganzen Versuch simulieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Observer gain</source>
        <translation>Beobachterverstärkung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>γ of an observer run drawn beside the free run (0: none): the model corrected towards the measured voltage, as generalized teacher forcing trains it</source>
        <translation>γ eines Beobachterlaufs neben dem freien Lauf (0: keiner): das Modell zur gemessenen Spannung hin korrigiert, wie verallgemeinertes Teacher Forcing es trainiert</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restart from the recording every</source>
        <translation>Von der Aufzeichnung neu starten alle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart the free run from the recorded voltage every so many seconds, as validation does (the run&apos;s training.validation.window_s); &quot;never&quot;: one free run over the whole segment</source>
        <translation>Den freien Lauf alle so viele Sekunden von der aufgezeichneten Spannung neu starten, wie es die Validierung tut (training.validation.window_s des Laufs); „nie“: ein freier Lauf über den ganzen Abschnitt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Simulate</source>
        <translation>Simulieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Restart every</source>
        <translation>Neustart alle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Observer γ</source>
        <translation>Beobachter-γ</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Whole trial %1</source>
        <translation>Ganzer Versuch %1</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 has no trained model yet.</source>
        <translation>%1 hat noch kein trainiertes Modell.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select a finished run to see its predictions on the validation segment.</source>
        <translation>Wählen Sie einen abgeschlossenen Lauf, um seine Vorhersagen auf dem Validierungsabschnitt zu sehen.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>the validation segment</source>
        <translation>dem Validierungsabschnitt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulating %1 on %2…</source>
        <translation>%1 wird auf %2 simuliert…</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Could not simulate: %1</source>
        <translation>Simulation nicht möglich: %1</translation>
    </message>
</context>
<context>
    <name>rmm::PredictionsView</name>
    <message>
        <location filename="../widgets/predictions_view.cpp" line="+26"/>
        <source>Predictions summary</source>
        <translation>Übersicht der Vorhersagen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Predictions plot</source>
        <translation>Grafik der Vorhersagen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Predictions message</source>
        <translation>Meldung der Vorhersagen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;No predictions yet&lt;/p&gt;&lt;p&gt;Train a model (Train tab), or select a finished run there: its free run on the validation segment is shown here against the recording, with the predicted synaptic currents.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;Noch keine Vorhersagen&lt;/p&gt;&lt;p&gt;Trainieren Sie ein Modell (Tab Training) oder wählen Sie dort einen abgeschlossenen Lauf: sein freier Lauf auf dem Validierungsabschnitt wird hier gegen die Aufzeichnung gezeigt, mit den vorhergesagten synaptischen Strömen.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1: I_syn r = %2 (%3), %4 (%5)</source>
        <translation>%1: I_syn r = %2 (%3), %4 (%5)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: I_syn r = %2, NRMSE = %3</source>
        <translation>%1: I_syn r = %2, NRMSE = %3</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>second run</source>
        <translation>zweiter Lauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 v [mV]</source>
        <translation>%1 v [mV]</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>measured</source>
        <translation>gemessen</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>simulated</source>
        <translation>simuliert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>observer γ = %1</source>
        <translation>Beobachter γ = %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 I_syn [nA]</source>
        <translation>%1 I_syn [nA]</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ground truth</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+5"/>
        <source>%1 (r %2)</source>
        <translation>%1 (r %2)</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>predicted (r %1, NRMSE %2)</source>
        <translation>vorhergesagt (r %1, NRMSE %2)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>time in trial [s]</source>
        <translation>Zeit im Durchgang [s]</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+47"/>
        <source>Could not write &apos;%1&apos;: %2</source>
        <translation>„%1“ konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>rmm::RunStore</name>
    <message>
        <location filename="../app/gui/run_store.cpp" line="+14"/>
        <source>stopped (best snapshot of epoch %1 kept)</source>
        <translation>gestoppt (bester Stand aus Epoche %1 behalten)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped before any snapshot</source>
        <translation>gestoppt vor dem ersten Stand</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped at its time limit</source>
        <translation>am Zeitlimit beendet</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best metric</source>
        <translation>Beste Metrik</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (epoch %2)</source>
        <translation>%1 (Epoche %2)</translation>
    </message>
    <message>
        <location line="-86"/>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
</context>
<context>
    <name>rmm::SweepPage</name>
    <message>
        <location filename="../app/gui/sweep_page.cpp" line="+385"/>
        <source>Sweep summary</source>
        <translation>Sweep-Übersicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open run</source>
        <translation>Lauf ö&amp;ffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the selected runs&apos; results (model, curves) to the run list, as File &gt; Import rmm train results does (or double-click a run)</source>
        <translation>Die Ergebnisse der ausgewählten Läufe (Modell, Kurven) zur Laufliste hinzufügen, wie Datei &gt; rmm-train-Ergebnisse importieren (oder Doppelklick auf einen Lauf)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Compare predictions</source>
        <translation>&amp;Vorhersagen vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select two finished runs: their predicted voltages are drawn over one another in the Predictions tab</source>
        <translation>Zwei fertige Läufe auswählen: ihre vorhergesagten Spannungen werden im Reiter Vorhersagen übereinander gezeichnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refre&amp;sh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the sweep folder again (it is also read as runs finish)</source>
        <translation>Den Sweep-Ordner neu lesen (er wird auch gelesen, wenn Läufe fertig werden)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Runs of the sweep</source>
        <translation>Läufe des Sweeps</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Reading the sweep folder…</source>
        <translation>Sweep-Ordner wird gelesen…</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Not enough memory to read the sweep folder %1.</source>
        <translation>Nicht genug Speicher, um den Sweep-Ordner %1 zu lesen.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Could not read the sweep folder: %1</source>
        <translation>Der Sweep-Ordner konnte nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 done</source>
        <translation>%1 fertig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;i&gt;%1 running&lt;/i&gt;</source>
        <translation>&lt;i&gt;%1 laufend&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 pending</source>
        <translation>%1 wartend</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 interrupted</source>
        <translation>%1 unterbrochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Sweep %1&lt;/b&gt;: %2</source>
        <translation>&lt;b&gt;Sweep %1&lt;/b&gt;: %2</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
</context>
<context>
    <name>rmm::SweepPlot</name>
    <message>
        <location filename="../widgets/sweep_plot.cpp" line="+50"/>
        <source>best validation angular separation</source>
        <translation>beste Validierungs-Winkelseparation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>worst neuron&apos;s synaptic-current r</source>
        <translation>Synaptischer-Strom-r des schlechtesten Neurons</translation>
    </message>
    <message>
        <location line="+106"/>
        <location line="+165"/>
        <source>seed</source>
        <translation>Seed</translation>
    </message>
    <message numerus="yes">
        <location line="-116"/>
        <source>runs (%n)</source>
        <translation>
            <numerusform>Läufe (%n)</numerusform>
            <numerusform>Läufe (%n)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No finished run has a synaptic-current r
(the configs map no ground-truth isyn channel, or no run has finished yet)</source>
        <translation>Kein fertiger Lauf hat ein r des synaptischen Stroms
(die Konfigurationen ordnen keinen Referenzkanal isyn zu, oder noch kein Lauf ist fertig)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No run has finished yet</source>
        <translation>Noch kein Lauf ist fertig</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Sweep plot</source>
        <translation>Sweep-Diagramm</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Metric of the sweep plot</source>
        <translation>Größe im Sweep-Diagramm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The value plotted for each finished run: its best validation angular separation, or the lowest synaptic-current Pearson r over its neurons</source>
        <translation>Der für jeden fertigen Lauf gezeichnete Wert: seine beste Validierungs-Winkelseparation oder das kleinste Pearson-r des synaptischen Stroms über seine Neuronen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Swept key of the sweep plot</source>
        <translation>Variierter Schlüssel im Sweep-Diagramm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The swept setting on the horizontal axis; the mean line averages over the runs sharing a value (seeds and the other keys)</source>
        <translation>Die variierte Einstellung auf der waagrechten Achse; die Mittelwertlinie mittelt über die Läufe mit gleichem Wert (Seeds und die übrigen Schlüssel)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Plot</source>
        <translation>Zeichne</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>against</source>
        <translation>gegen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wheel zooms, drag pans, double-click fits; click a point to select its run; right-click to export.</source>
        <translation>Mausrad zoomt, Ziehen verschiebt, Doppelklick passt ein; Klick auf einen Punkt wählt seinen Lauf; Rechtsklick zum Exportieren.</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>selected</source>
        <translation>ausgewählt</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&amp;Fit</source>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export this plot…</source>
        <translation>Dieses Diagramm &amp;exportieren…</translation>
    </message>
</context>
<context>
    <name>rmm::SweepRunModel</name>
    <message>
        <location filename="../app/gui/sweep_page.cpp" line="-592"/>
        <source>pending</source>
        <translation>wartend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running</source>
        <translation>laufend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <location line="+160"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no reason recorded</source>
        <translation>kein Grund festgehalten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>running as SLURM job %1</source>
        <translation>läuft als SLURM-Job %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The free run of the best model leaves the recorded voltage range (report.json free_run.in_range)</source>
        <translation>Der freie Lauf des besten Modells verlässt den aufgezeichneten Spannungsbereich (report.json free_run.in_range)</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best AS</source>
        <translation>Beste AS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>r neuron %1</source>
        <translation>r Neuron %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best epoch</source>
        <translation>Beste Epoche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training s</source>
        <translation>Training s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Physiological</source>
        <translation>Physiologisch</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The run&apos;s index: its folder is runs/NNNN in the sweep folder</source>
        <translation>Der Index des Laufs: sein Ordner ist runs/NNNN im Sweep-Ordner</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A swept setting of the experiment config</source>
        <translation>Eine variierte Einstellung der Experimentkonfiguration</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>training.seed of the run</source>
        <translation>training.seed des Laufs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pending, running, done, failed or interrupted (a failed run&apos;s reason is its tooltip)</source>
        <translation>wartend, laufend, fertig, fehlgeschlagen oder unterbrochen (der Grund eines fehlgeschlagenen Laufs steht im Tooltip)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best validation angular separation (higher is better)</source>
        <translation>Beste Validierungs-Winkelseparation (höher ist besser)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pearson r of the predicted and the recorded synaptic current of neuron %1 on the validation segment</source>
        <translation>Pearson-r von vorhergesagtem und aufgezeichnetem synaptischem Strom von Neuron %1 auf dem Validierungsabschnitt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Epoch of the best snapshot (1 = the first)</source>
        <translation>Epoche des besten Schnappschusses (1 = die erste)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training time in seconds</source>
        <translation>Trainingszeit in Sekunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Whether the best model&apos;s free run stays within the recorded range</source>
        <translation>Ob der freie Lauf des besten Modells im aufgezeichneten Bereich bleibt</translation>
    </message>
</context>
<context>
    <name>rmm::TracePlot</name>
    <message>
        <location filename="../widgets/trace_plot.cpp" line="+226"/>
        <source>&amp;Trial:</source>
        <translation>Durch&amp;gang:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trial</source>
        <translation>Durchgang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trial (sweep) of the recording to show</source>
        <translation>Anzuzeigender Durchgang (Sweep) der Aufzeichnung</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+263"/>
        <source>&amp;Channels</source>
        <translation>&amp;Kanäle</translation>
    </message>
    <message>
        <location line="-262"/>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose which channels to show</source>
        <translation>Anzuzeigende Kanäle wählen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>C&amp;ursors</source>
        <translation>C&amp;ursor</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Two measurement cursors (drag them): delta t, and per channel delta, mean, minimum and maximum between them (C)</source>
        <translation>Zwei Messcursor (zum Ziehen): Delta t und je Kanal Delta, Mittelwert, Minimum und Maximum zwischen ihnen (C)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Overlay sweeps</source>
        <translation>Sweeps ü&amp;berlagern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Draw the other sweeps in grey behind the current one</source>
        <translation>Die anderen Sweeps grau hinter dem aktuellen zeichnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A&amp;verage</source>
        <translation>Mi&amp;ttelwert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Draw the average of all sweeps in black</source>
        <translation>Den Mittelwert aller Sweeps schwarz zeichnen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>◀ Zoom</source>
        <translation>◀ Zoom</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back to the previous zoom (Alt+Left)</source>
        <translation>Zurück zum vorherigen Zoom (Alt+Links)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zoom ▶</source>
        <translation>Zoom ▶</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Forward to the next zoom (Alt+Right)</source>
        <translation>Weiter zum nächsten Zoom (Alt+Rechts)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Mapped channels only</source>
        <translation>Nur &amp;zugeordnete Kanäle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show only the channels the channel map uses</source>
        <translation>Nur die Kanäle zeigen, die die Kanalzuordnung verwendet</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Value under the mouse</source>
        <translation>Wert unter der Maus</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cursor measurements</source>
        <translation>Cursormessungen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Traces</source>
        <translation>Spuren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wheel: zoom time (over a y axis: that axis) · drag: pan · Ctrl+drag: zoom to rectangle · double-click: fit</source>
        <translation>Mausrad: Zeit zoomen (über einer y-Achse: diese Achse) · Ziehen: verschieben · Strg+Ziehen: auf Rechteck zoomen · Doppelklick: einpassen</translation>
    </message>
    <message>
        <location line="+143"/>
        <source>Show &amp;all</source>
        <translation>&amp;Alle zeigen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>&amp;Channels (%1 of %2)</source>
        <translation>&amp;Kanäle (%1 von %2)</translation>
    </message>
    <message>
        <location line="+102"/>
        <location line="+642"/>
        <source>time [s]</source>
        <translation>Zeit [s]</translation>
    </message>
    <message numerus="yes">
        <location line="-621"/>
        <source>average of %n sweep(s)</source>
        <translation>
            <numerusform>Mittelwert von %n Sweep</numerusform>
            <numerusform>Mittelwert von %n Sweeps</numerusform>
        </translation>
    </message>
    <message>
        <location line="+442"/>
        <source>C1 %1 s · C2 %2 s · Δt %3 s</source>
        <translation>C1 %1 s · C2 %2 s · Δt %3 s</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: Δ %2%6 · mean %3%6 · min %4%6 · max %5%6</source>
        <translation>%1: Δ %2%6 · Mittel %3%6 · Min %4%6 · Max %5%6</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>… (%n more channel(s): see the tooltip)</source>
        <translation>
            <numerusform>… (%n weiterer Kanal: siehe Tooltip)</numerusform>
            <numerusform>… (%n weitere Kanäle: siehe Tooltip)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>t = %1 s · %2 = %3%4</source>
        <translation>t = %1 s · %2 = %3%4</translation>
    </message>
    <message numerus="yes">
        <location line="+174"/>
        <source>Copied %n row(s) of values</source>
        <translation>
            <numerusform>%n Zeile mit Werten kopiert</numerusform>
            <numerusform>%n Zeilen mit Werten kopiert</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Fit</source>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Previous sweep</source>
        <translation>&amp;Vorheriger Sweep</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Next sweep</source>
        <translation>&amp;Nächster Sweep</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Move %1 &amp;up</source>
        <translation>%1 nach &amp;oben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move %1 &amp;down</source>
        <translation>%1 nach &amp;unten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Copy values between the cursors</source>
        <translation>Werte zwischen den Cursorn &amp;kopieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Copy values in view</source>
        <translation>Werte im Ausschnitt &amp;kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export this plot…</source>
        <translation>Dieses Diagramm &amp;exportieren…</translation>
    </message>
</context>
<context>
    <name>rmm::TrainPage</name>
    <message>
        <location filename="../app/gui/train_page.cpp" line="+90"/>
        <source>Channel map summary</source>
        <translation>Übersicht der Kanalzuordnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel &amp;map…</source>
        <translation>&amp;Kanalzuordnung…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign voltage, injected-current and ground-truth channels per neuron</source>
        <translation>Spannungs-, Strominjektions- und Referenzkanäle je Neuron zuordnen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load config…</source>
        <translation>Konfiguration laden…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save config…</source>
        <translation>Konfiguration speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read an experiment config JSON (the file `rmm train --config` reads)</source>
        <translation>Eine Experimentkonfiguration als JSON lesen (die Datei, die `rmm train --config` liest)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write these settings as an experiment config JSON for `rmm train`</source>
        <translation>Diese Einstellungen als Experimentkonfiguration (JSON) für `rmm train` schreiben</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainer</source>
        <translation>Trainer</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Start training</source>
        <translation>Training &amp;starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train a new run with these settings in the background</source>
        <translation>Einen neuen Lauf mit diesen Einstellungen im Hintergrund trainieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+354"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <location line="-353"/>
        <source>F6</source>
        <translation>F6</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause or resume the running training between mini-batches</source>
        <translation>Das laufende Training zwischen Mini-Batches anhalten oder fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;top</source>
        <translation>St&amp;opp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shift+F5</source>
        <translation>Shift+F5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after the current mini-batch and keep the best snapshot</source>
        <translation>Nach dem aktuellen Mini-Batch beenden und den besten Zwischenstand behalten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Training progress</source>
        <translation>Trainingsfortschritt</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+326"/>
        <source>Idle</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location line="-325"/>
        <source>Training status</source>
        <translation>Trainingsstatus</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select runs to overlay their curves; the first selected drives the predictions and analysis views. Double-click a name to rename.</source>
        <translation>Wählen Sie Läufe, um ihre Kurven zu überlagern; der zuerst gewählte bestimmt die Ansichten Vorhersagen und Analyse. Doppelklick auf einen Namen benennt um.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save model…</source>
        <translation>Modell speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopen settings</source>
        <translation>Einstellungen übernehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove run</source>
        <translation>Lauf &amp;entfernen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove the selected runs from the session (Ctrl+Z puts them back)</source>
        <translation>Die gewählten Läufe aus der Sitzung entfernen (Strg+Z holt sie zurück)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Undo remove run</source>
        <translation>Entfernen des Laufs &amp;rückgängig machen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put the last removed runs back</source>
        <translation>Die zuletzt entfernten Läufe zurückholen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use &amp;last snapshot</source>
        <translation>&amp;Letzten Stand verwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No snapshot of this run validated above 0: take its parameters at the end of training instead of the best (usually the first) snapshot</source>
        <translation>Kein Stand dieses Laufs wurde über 0 validiert: seine Parameter am Ende des Trainings statt des besten (meist ersten) Stands verwenden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the selected run&apos;s best snapshot as a model file (.h5)</source>
        <translation>Den besten Zwischenstand des gewählten Laufs als Modelldatei (.h5) schreiben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the selected run&apos;s settings back into the forms</source>
        <translation>Die Einstellungen des gewählten Laufs wieder in die Formulare übernehmen</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>No channel map yet: open a recording, then Channel map…</source>
        <translation>Noch keine Kanalzuordnung: Öffnen Sie eine Aufzeichnung, dann Kanalzuordnung…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;%1&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>neuron %1: v = %2, u = %3%4</source>
        <translation>Neuron %1: v = %2, u = %3%4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, ground truth %1</source>
        <translation>, Referenz %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>trials: %1; training %2 %, validation last %3 % of %4</source>
        <translation>Durchgänge: %1; Training %2 %, Validierung letzte %3 % von %4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the first trial</source>
        <translation>dem ersten Durchgang</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open a recording first: the channel map lists its channels.</source>
        <translation>Öffnen Sie zuerst eine Aufzeichnung: Die Kanalzuordnung listet deren Kanäle auf.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Map the channels first (Train &gt; Channel map…)</source>
        <translation>Ordnen Sie zuerst die Kanäle zu (Training &gt; Kanalzuordnung…)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model has %1 neuron(s) but the channel map has %2: set Neurons in the model form</source>
        <translation>Das Modell hat %1 Neuron(en), die Kanalzuordnung aber %2: stellen Sie Neuronen im Modellformular ein</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Open a recording (or the demo) before training.</source>
        <translation>Öffnen Sie vor dem Training eine Aufzeichnung (oder die Demo).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot start: %1</source>
        <translation>Start nicht möglich: %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Training %1…</source>
        <translation>%1 wird trainiert…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 %2 after %3 epoch(s)</source>
        <translation>%1 %2 nach %3 Epoche(n)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1epoch %2/%3 · elapsed %4 · ETA %5</source>
        <translation>%1Epoche %2/%3 · vergangen %4 · Restzeit %5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paused · </source>
        <translation>pausiert · </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>%1 now uses its parameters at the end of training (epoch %2)</source>
        <translation>%1 verwendet jetzt seine Parameter am Ende des Trainings (Epoche %2)</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>voltage v</source>
        <translation>Spannung v</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>injected u</source>
        <translation>injizierter Strom u</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ground truth I_syn</source>
        <translation>wahrer Strom I_syn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channel map, neuron %1, %2</source>
        <translation>Kanalzuordnung, Neuron %1, %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel map, neuron %1, unit of %2</source>
        <translation>Kanalzuordnung, Neuron %1, Einheit von %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Channel map</source>
        <translation>Kanalzuordnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model form</source>
        <translation>Modellformular</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trainer form</source>
        <translation>Trainerformular</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>%1, row %2</source>
        <translation>%1, Zeile %2</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Removed %1 (Ctrl+Z puts it back)</source>
        <translation>%1 entfernt (Strg+Z holt ihn zurück)</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>Restored %n run(s)</source>
        <translation>
            <numerusform>%n Lauf wiederhergestellt</numerusform>
            <numerusform>%n Läufe wiederhergestellt</numerusform>
        </translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Select a finished run with a model to save.</source>
        <translation>Wählen Sie einen abgeschlossenen Lauf mit einem Modell zum Speichern.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save model</source>
        <translation>Modell speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model files (*.h5)</source>
        <translation>Modelldateien (*.h5)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Load experiment config</source>
        <translation>Experimentkonfiguration laden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Experiment configs (*.json);;All files (*)</source>
        <translation>Experimentkonfigurationen (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loaded %1</source>
        <translation>%1 geladen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Save experiment config</source>
        <translation>Experimentkonfiguration speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Experiment configs (*.json)</source>
        <translation>Experimentkonfigurationen (*.json)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Saved %1 (use it with `rmm train --config`)</source>
        <translation>%1 gespeichert (verwendbar mit `rmm train --config`)</translation>
    </message>
</context>
<context>
    <name>rmm::TrainerForm</name>
    <message>
        <location filename="../widgets/trainer_form.cpp" line="+40"/>
        <source>%1: &quot;%2&quot; is not a number from %3 to %4</source>
        <translation>%1: „%2“ ist keine Zahl von %3 bis %4</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Teacher forcing (TF)</source>
        <translation>Teacher Forcing (TF)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multiple shooting (MS)</source>
        <translation>Mehrzielmethode (Multiple Shooting, MS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generalized teacher forcing (GTF)</source>
        <translation>Verallgemeinertes Teacher Forcing (GTF)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TF feeds the measured voltage into the model and fits one-step derivatives; MS integrates short shots from free initial states tied by the continuity penalty ρ_x; GTF feeds a mix γ v_meas + (1 − γ) v_pred.</source>
        <translation>TF speist die gemessene Spannung in das Modell ein und passt Ein-Schritt-Ableitungen an; MS integriert kurze Teilstücke (Shots) aus freien Anfangszuständen, die der Stetigkeitsterm ρ_x verbindet; GTF speist eine Mischung γ v_meas + (1 − γ) v_pred ein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training method</source>
        <translation>Trainingsmethode</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location line="-142"/>
        <location line="+143"/>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location line="-139"/>
        <source>From epoch</source>
        <translation>Ab Epoche</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Learning-rate schedule</source>
        <translation>Lernratenplan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Piecewise-constant Adam learning rate: each row applies from its epoch (0-based) on. Paper: TF 1e-3; MS 0.01, halved at epochs 50 and 100.</source>
        <translation>Stückweise konstante Adam-Lernrate: Jede Zeile gilt ab ihrer Epoche (ab 0 gezählt). Artikel: TF 1e-3; MS 0.01, halbiert bei den Epochen 50 und 100.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add step</source>
        <translation>Stufe hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+130"/>
        <location line="+14"/>
        <source>Schedule</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location line="-118"/>
        <location line="+105"/>
        <source>Mini-batches</source>
        <translation>Mini-Batches</translation>
    </message>
    <message>
        <location line="-102"/>
        <source>Re-permute samples every epoch</source>
        <translation>Stichproben jede Epoche neu mischen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TF: shuffle the training samples into new mini-batches each epoch.</source>
        <translation>TF: die Trainingsstichproben in jeder Epoche neu auf Mini-Batches verteilen.</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Shuffle</source>
        <translation>Mischen</translation>
    </message>
    <message>
        <location line="-99"/>
        <source>MS/GTF: samples per shot. Paper: 30 (reference code 10–40).</source>
        <translation>MS/GTF: Abtastwerte je Shot. Artikel: 30 (Referenzcode 10–40).</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+99"/>
        <source>Shot length</source>
        <translation>Shot-Länge</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>rho</source>
        <translation>rho</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>ρ: L2 penalty on MLP weights, leak conductances and ḡ. Paper: 5e-8 (TF), 5e-9 (MS, GTF).</source>
        <translation>ρ: L2-Strafterm auf MLP-Gewichte, Leckleitfähigkeiten und ḡ. Artikel: 5e-8 (TF), 5e-9 (MS, GTF).</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>Passes over the training data. Defaults: TF 600, MS 800 (paper: 400), GTF 300.</source>
        <translation>Durchläufe über die Trainingsdaten. Voreinstellung: TF 600, MS 800 (Artikel: 400), GTF 300.</translation>
    </message>
    <message>
        <location line="+53"/>
        <location line="+96"/>
        <location line="+105"/>
        <source>ρ</source>
        <translation>ρ</translation>
    </message>
    <message>
        <location line="-199"/>
        <source>ρ_v: MS weight of the voltage mismatch of the shots. Paper: 500.</source>
        <translation>ρ_v: MS-Gewicht der Spannungsabweichung der Shots. Artikel: 500.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>rho v</source>
        <translation>rho v</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+94"/>
        <location line="+105"/>
        <source>ρ_v</source>
        <translation>ρ_v</translation>
    </message>
    <message>
        <location line="-197"/>
        <source>ρ_x: MS weight of the continuity (state mismatch) between shots. Paper: 500.</source>
        <translation>ρ_x: MS-Gewicht der Stetigkeit (Zustandsabweichung) zwischen Shots. Artikel: 500.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rho x</source>
        <translation>rho x</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+92"/>
        <location line="+105"/>
        <source>ρ_x</source>
        <translation>ρ_x</translation>
    </message>
    <message>
        <location line="-194"/>
        <source>γ: GTF observer gain in [0, 1]; 0 is multiple shooting, 1 recurrent teacher forcing.</source>
        <translation>γ: GTF-Beobachterverstärkung in [0, 1]; 0 ist die Mehrzielmethode, 1 rekurrentes Teacher Forcing.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>gamma</source>
        <translation>gamma</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+89"/>
        <location line="+105"/>
        <source>γ</source>
        <translation>γ</translation>
    </message>
    <message>
        <location line="-191"/>
        <source>K: free-run validation (angular separation) and snapshot every K epochs.</source>
        <translation>K: Validierung im freien Lauf (Winkelabstand) und Zwischenstand alle K Epochen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation interval</source>
        <translation>Validierungsintervall</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Validate every</source>
        <translation>Validieren alle</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>Seed of the parameter initialisation and the shuffles: same seed, same run.</source>
        <translation>Startwert (Seed) der Parameterinitialisierung und des Mischens: gleicher Seed, gleicher Lauf.</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Mini-batches per epoch (N_batches). Auto: chosen from the training data when training starts: 96 from %1 s of training data, the paper&apos;s 48 below (GTF: 48).</source>
        <translation>Mini-Batches je Epoche (N_batches). Auto: beim Trainingsstart aus den Trainingsdaten gewählt: 96 ab %1 s Trainingsdaten, darunter die 48 des Artikels (GTF: 48).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+81"/>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>a new model (from the seed)</source>
        <translation>ein neues Modell (aus dem Startwert)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start from an earlier run&apos;s model file (model.h5) instead of a new model: e.g. multiple shooting warm-started from a teacher-forcing model, or more epochs for a model. Its settings replace the model form&apos;s. Empty: a new model.</source>
        <translation>Mit der Modelldatei (model.h5) eines früheren Laufs beginnen statt mit einem neuen Modell: z. B. Multiple Shooting ausgehend von einem mit Teacher Forcing trainierten Modell, oder weitere Epochen für ein Modell. Seine Einstellungen ersetzen die des Modellformulars. Leer: ein neues Modell.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+72"/>
        <source>Start from</source>
        <translation>Beginnen mit</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Choose a model file to start from</source>
        <translation>Modelldatei wählen, mit der begonnen wird</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start from a model</source>
        <translation>Mit einem Modell beginnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RMM models (*.h5);;All files (*)</source>
        <translation>RMM-Modelle (*.h5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>OpenMP threads used by the training worker.</source>
        <translation>Vom Trainingsprozess verwendete OpenMP-Threads.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+56"/>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <location line="-50"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wall-clock budget: training stops after the mini-batch that passes it, validates its last parameters once and keeps the best snapshot. Use it to fit training into an experiment, or to compare methods at equal time as in the paper.</source>
        <translation>Zeitbudget (Uhrzeit): Das Training endet nach dem Mini-Batch, der es überschreitet, validiert seine letzten Parameter noch einmal und behält den besten Schnappschuss. So passt das Training in ein Experiment, oder Methoden werden wie im Artikel bei gleicher Zeit verglichen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+45"/>
        <source>Time limit</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>float32</source>
        <translation>float32</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>float64</source>
        <translation>float64</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arithmetic of the MLPs during training (the paper trains in float32).</source>
        <translation>Arithmetik der MLPs während des Trainings (der Artikel trainiert in float32).</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+36"/>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Learning-rate schedule, row %1: give an epoch and a learning rate</source>
        <translation>Lernratenplan, Zeile %1: geben Sie eine Epoche und eine Lernrate an</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Seed: give a whole number of 0 or more</source>
        <translation>Seed: geben Sie eine ganze Zahl ab 0 an</translation>
    </message>
</context>
<context>
    <name>rmm::Workspace</name>
    <message>
        <location filename="../app/gui/workspace.cpp" line="+67"/>
        <source>Autosaved to %1</source>
        <translation>Automatisch gesichert in %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Autosave failed: %1</source>
        <translation>Automatische Sicherung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>demo (synthetic HCO)</source>
        <translation>Demo (synthetischer HCO)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Not enough memory to load %1.</source>
        <translation>Nicht genug Arbeitsspeicher, um %1 zu laden.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The recording could not be loaded.</source>
        <translation>Die Aufzeichnung konnte nicht geladen werden.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Saving %1…</source>
        <translation>%1 wird gespeichert…</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>opening another session</source>
        <translation>dem Öffnen einer anderen Sitzung</translation>
    </message>
    <message numerus="yes">
        <location line="+42"/>
        <source>Session restored: %n run(s)</source>
        <translation>
            <numerusform>Sitzung wiederhergestellt: %n Lauf</numerusform>
            <numerusform>Sitzung wiederhergestellt: %n Läufe</numerusform>
        </translation>
    </message>
</context>
</TS>
