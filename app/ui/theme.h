#pragma once
// The application's light and dark themes: Qt's Fusion style with a light or dark palette (plots and the heatmap
// switch their own colours).
namespace dynamax::app {

void apply_theme(bool dark);

}  // namespace dynamax::app
