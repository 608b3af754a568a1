<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Language</name>
    <message>
        <location filename="../app/gui/language.cpp" line="+127"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;System default</source>
        <translation>&amp;Systemvorgabe</translation>
    </message>
    <message>
        <location line="+17"/>
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
        <location filename="../app/gui/main_window.cpp" line="+46"/>
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
        <location line="+2"/>
        <source>%1 s (%2 min %3 s)</source>
        <translation>%1 s (%2 min %3 s)</translation>
    </message>
    <message>
        <location line="+207"/>
        <source>Not enough memory to load %1.</source>
        <translation>Nicht genug Arbeitsspeicher, um %1 zu laden.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="+35"/>
        <source>could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <location line="+31"/>
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
        <location line="+6"/>
        <source>Recording to open.</source>
        <translation>Zu öffnende Aufzeichnung.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--demo-seconds needs a number of seconds in (0, 3600]</source>
        <translation>--demo-seconds braucht eine Anzahl Sekunden in (0, 3600]</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>give at most one FILE</source>
        <translation>höchstens eine DATEI angeben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--screenshot needs FILE or --demo</source>
        <translation>--screenshot braucht DATEI oder --demo</translation>
    </message>
</context>
<context>
    <name>rmm::ConductanceMap</name>
    <message>
        <location filename="../widgets/conductance_map.cpp" line="+118"/>
        <source>membrane voltage v (mV)</source>
        <translation>Membranspannung v (mV)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>conductance G(v, f)</source>
        <translation>Leitfähigkeit G(v, f)</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <location line="+211"/>
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
    <name>rmm::MainWindow</name>
    <message>
        <location filename="../app/gui/main_window.cpp" line="-162"/>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;No recording open&lt;/p&gt;&lt;p&gt;File &amp;gt; Open… (Ctrl+O) opens a recording;&lt;br&gt;File &amp;gt; Open demo recording generates a half-center oscillator.&lt;/p&gt;&lt;p&gt;You can also drop a file here.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;Keine Aufzeichnung geöffnet&lt;/p&gt;&lt;p&gt;Datei &amp;gt; Öffnen… (Strg+O) öffnet eine Aufzeichnung;&lt;br&gt;Datei &amp;gt; Demo-Aufzeichnung öffnen erzeugt einen Halbzentren-Oszillator.&lt;/p&gt;&lt;p&gt;Sie können auch eine Datei hierher ziehen.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Recording summary</source>
        <translation>Übersicht der Aufzeichnung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading progress</source>
        <translation>Ladefortschritt</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+172"/>
        <source>RMM Workbench</source>
        <translation>RMM Workbench</translation>
    </message>
    <message>
        <location line="-149"/>
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
        <location line="+4"/>
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
        <source>Save the traces as PNG, PDF or SVG</source>
        <translation>Die Spuren als PNG, PDF oder SVG speichern</translation>
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
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <location line="+14"/>
        <source>demo (synthetic HCO)</source>
        <translation>Demo (synthetischer HCO)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The recording could not be loaded.</source>
        <translation>Die Aufzeichnung konnte nicht geladen werden.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 — RMM Workbench</source>
        <translation>%1 — RMM Workbench</translation>
    </message>
    <message>
        <location line="+28"/>
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
        <location line="+13"/>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG-Zeichnung (*.svg)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>About RMM Workbench</source>
        <translation>Über RMM Workbench</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;RMM Workbench %1&lt;/h3&gt;&lt;p&gt;Recurrent Mechanistic Models of small neural circuits.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Mouse:&lt;/b&gt; wheel zooms time (over a y axis: that axis); drag pans; Ctrl+drag zooms to a rectangle; double-click fits (on a y axis: that channel).&lt;/p&gt;&lt;p&gt;Licensed under the GNU GPL, version 3 or later. Plots by QCustomPlot.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;RMM Workbench %1&lt;/h3&gt;&lt;p&gt;Recurrent Mechanistic Models (RMM) kleiner neuronaler Schaltkreise.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Maus:&lt;/b&gt; Das Mausrad zoomt die Zeit (über einer y-Achse: diese Achse); Ziehen verschiebt; Strg+Ziehen zoomt auf ein Rechteck; Doppelklick passt ein (auf einer y-Achse: diesen Kanal).&lt;/p&gt;&lt;p&gt;Lizenziert unter der GNU GPL, Version 3 oder neuer. Grafiken mit QCustomPlot.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>rmm::TracePlot</name>
    <message>
        <location filename="../widgets/trace_plot.cpp" line="+137"/>
        <source>&amp;Trial:</source>
        <translation>&amp;Durchgang:</translation>
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
        <location line="+158"/>
        <source>&amp;Channels</source>
        <translation>&amp;Kanäle</translation>
    </message>
    <message>
        <location line="-157"/>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose which channels to show</source>
        <translation>Anzuzeigende Kanäle wählen</translation>
    </message>
    <message>
        <location line="+18"/>
        <location filename="../widgets/trace_plot_export.cpp" line="+31"/>
        <location line="+43"/>
        <source>Traces</source>
        <translation>Spuren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wheel: zoom time (over a y axis: that axis) · drag: pan · Ctrl+drag: zoom to rectangle · double-click: fit</source>
        <translation>Mausrad: Zeit zoomen (über einer y-Achse: diese Achse) · Ziehen: verschieben · Strg+Ziehen: auf Rechteck zoomen · Doppelklick: einpassen</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>Show &amp;all</source>
        <translation>&amp;Alle zeigen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&amp;Channels (%1 of %2)</source>
        <translation>&amp;Kanäle (%1 von %2)</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>time [s]</source>
        <translation>Zeit [s]</translation>
    </message>
    <message>
        <location filename="../widgets/trace_plot_export.cpp" line="+1"/>
        <source>Exported by RMM Workbench</source>
        <translation>Exportiert von RMM Workbench</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Cannot export to &apos;%1&apos;: use a .png, .pdf or .svg file name.</source>
        <translation>Export nach „%1“ nicht möglich: Verwenden Sie einen Dateinamen auf .png, .pdf oder .svg.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not write &apos;%1&apos; (check that the folder exists and is writable).</source>
        <translation>„%1“ konnte nicht geschrieben werden (prüfen Sie, ob der Ordner existiert und beschreibbar ist).</translation>
    </message>
</context>
</TS>
