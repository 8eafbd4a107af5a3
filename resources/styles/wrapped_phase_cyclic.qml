<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis minScale="1e+08" version="3.22.16-Białowieża" hasScaleBasedVisibilityFlag="0" styleCategories="AllStyleCategories" maxScale="0">
  <flags>
    <Identifiable>1</Identifiable>
    <Removable>1</Removable>
    <Searchable>1</Searchable>
    <Private>0</Private>
  </flags>
  <temporal mode="0" fetchMode="0" enabled="0">
    <fixedRange>
      <start></start>
      <end></end>
    </fixedRange>
  </temporal>
  <customproperties>
    <Option type="Map">
      <Option name="identify/format" value="Value" type="QString"/>
    </Option>
  </customproperties>
  <pipe-data-defined-properties>
    <Option type="Map">
      <Option name="name" value="" type="QString"/>
      <Option name="properties"/>
      <Option name="type" value="collection" type="QString"/>
    </Option>
  </pipe-data-defined-properties>
  <pipe>
    <provider>
      <resampling maxOversampling="2" zoomedInResamplingMethod="nearestNeighbour" zoomedOutResamplingMethod="nearestNeighbour" enabled="false"/>
    </provider>
    <rasterrenderer band="1" alphaBand="-1" nodataColor="" classificationMax="3.141592653589793" type="singlebandpseudocolor" opacity="1" classificationMin="-3.141592653589793">
      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
      <rastershader>
        <colorrampshader labelPrecision="6" maximumValue="3.1415926535897931" clip="1" colorRampType="INTERPOLATED" classificationMode="1" minimumValue="-3.1415926535897931">
          <item value="-3.141592653589793" color="#00ffff" alpha="255" label="-3.14"/>
          <item value="-3.041859553475831" color="#0cf3ff" alpha="255" label=""/>
          <item value="-2.94212645336187" color="#18e7ff" alpha="255" label=""/>
          <item value="-2.842393353247908" color="#24dbff" alpha="255" label=""/>
          <item value="-2.742660253133947" color="#31ceff" alpha="255" label=""/>
          <item value="-2.642927153019984" color="#3dc2ff" alpha="255" label=""/>
          <item value="-2.543194052906023" color="#49b6ff" alpha="255" label=""/>
          <item value="-2.443460952792061" color="#55aaff" alpha="255" label=""/>
          <item value="-2.3437278526781" color="#619eff" alpha="255" label=""/>
          <item value="-2.243994752564138" color="#6d92ff" alpha="255" label=""/>
          <item value="-2.144261652450176" color="#7986ff" alpha="255" label=""/>
          <item value="-2.044528552336215" color="#8679ff" alpha="255" label=""/>
          <item value="-1.944795452222253" color="#926dff" alpha="255" label=""/>
          <item value="-1.845062352108291" color="#9e61ff" alpha="255" label=""/>
          <item value="-1.74532925199433" color="#aa55ff" alpha="255" label=""/>
          <item value="-1.645596151880368" color="#b649ff" alpha="255" label=""/>
          <item value="-1.545863051766406" color="#c23dff" alpha="255" label=""/>
          <item value="-1.446129951652445" color="#ce31ff" alpha="255" label=""/>
          <item value="-1.346396851538483" color="#db24ff" alpha="255" label=""/>
          <item value="-1.246663751424521" color="#e718ff" alpha="255" label=""/>
          <item value="-1.14693065131056" color="#f30cff" alpha="255" label=""/>
          <item value="-1.047197551196598" color="#ff00ff" alpha="255" label=""/>
          <item value="-0.947464451082636" color="#ff0cf3" alpha="255" label=""/>
          <item value="-0.847731350968675" color="#ff18e7" alpha="255" label=""/>
          <item value="-0.747998250854713" color="#ff24db" alpha="255" label=""/>
          <item value="-0.648265150740751" color="#ff31ce" alpha="255" label=""/>
          <item value="-0.548532050626789" color="#ff3dc2" alpha="255" label=""/>
          <item value="-0.448798950512828" color="#ff49b6" alpha="255" label=""/>
          <item value="-0.349065850398866" color="#ff55aa" alpha="255" label=""/>
          <item value="-0.249332750284904" color="#ff619e" alpha="255" label=""/>
          <item value="-0.149599650170943" color="#ff6d92" alpha="255" label=""/>
          <item value="-0.049866550056981" color="#ff7986" alpha="255" label=""/>
          <item value="0.0498665500569806" color="#ff8679" alpha="255" label=""/>
          <item value="0.149599650170943" color="#ff926d" alpha="255" label=""/>
          <item value="0.249332750284904" color="#ff9e61" alpha="255" label=""/>
          <item value="0.349065850398866" color="#ffaa55" alpha="255" label=""/>
          <item value="0.448798950512828" color="#ffb649" alpha="255" label=""/>
          <item value="0.548532050626789" color="#ffc23d" alpha="255" label=""/>
          <item value="0.648265150740751" color="#ffce31" alpha="255" label=""/>
          <item value="0.747998250854713" color="#ffdb24" alpha="255" label=""/>
          <item value="0.847731350968674" color="#ffe718" alpha="255" label=""/>
          <item value="0.947464451082636" color="#fff30c" alpha="255" label=""/>
          <item value="1.047197551196597" color="#ffff00" alpha="255" label=""/>
          <item value="1.14693065131056" color="#f3ff0c" alpha="255" label=""/>
          <item value="1.24666375142452" color="#e7ff18" alpha="255" label=""/>
          <item value="1.346396851538483" color="#dbff24" alpha="255" label=""/>
          <item value="1.446129951652444" color="#ceff31" alpha="255" label=""/>
          <item value="1.545863051766406" color="#c2ff3d" alpha="255" label=""/>
          <item value="1.645596151880367" color="#b6ff49" alpha="255" label=""/>
          <item value="1.74532925199433" color="#aaff55" alpha="255" label=""/>
          <item value="1.84506235210829" color="#9eff61" alpha="255" label=""/>
          <item value="1.944795452222253" color="#92ff6d" alpha="255" label=""/>
          <item value="2.044528552336215" color="#86ff79" alpha="255" label=""/>
          <item value="2.144261652450177" color="#79ff86" alpha="255" label=""/>
          <item value="2.243994752564138" color="#6dff92" alpha="255" label=""/>
          <item value="2.3437278526781" color="#61ff9e" alpha="255" label=""/>
          <item value="2.443460952792061" color="#55ffaa" alpha="255" label=""/>
          <item value="2.543194052906023" color="#49ffb6" alpha="255" label=""/>
          <item value="2.642927153019984" color="#3dffc2" alpha="255" label=""/>
          <item value="2.742660253133947" color="#31ffce" alpha="255" label=""/>
          <item value="2.842393353247908" color="#24ffdb" alpha="255" label=""/>
          <item value="2.94212645336187" color="#18ffe7" alpha="255" label=""/>
          <item value="3.041859553475831" color="#0cfff3" alpha="255" label=""/>
          <item value="3.141592653589793" color="#00ffff" alpha="255" label="3.14"/>
          <rampLegendSettings minimumLabel="" direction="0" prefix="" suffix="" orientation="2" maximumLabel="" useContinuousLegend="1">
            <numericFormat id="basic">
              <Option type="Map">
                <Option name="decimal_separator" value="" type="QChar"/>
                <Option name="decimals" value="6" type="int"/>
                <Option name="rounding_type" value="0" type="int"/>
                <Option name="show_plus" value="false" type="bool"/>
                <Option name="show_thousand_separator" value="true" type="bool"/>
                <Option name="show_trailing_zeros" value="false" type="bool"/>
                <Option name="thousand_separator" value="" type="QChar"/>
              </Option>
            </numericFormat>
          </rampLegendSettings>
        </colorrampshader>
      </rastershader>
    </rasterrenderer>
    <brightnesscontrast brightness="0" gamma="1" contrast="0"/>
    <huesaturation grayscaleMode="0" invertColors="0" saturation="0" colorizeRed="255" colorizeStrength="100" colorizeOn="0" colorizeGreen="128" colorizeBlue="128"/>
    <rasterresampler maxOversampling="2"/>
    <resamplingStage>resamplingFilter</resamplingStage>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
