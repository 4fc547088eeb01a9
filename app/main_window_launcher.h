#pragma once
// Opens the workbench window on the demo workspace and runs the Qt event loop.
#include <string>

namespace dynamax::app {

// With a non-empty `screenshot_png`, renders the window into that PNG file and returns instead of running
// the event loop (works offscreen too).
int launch_main_window(const std::string& screenshot_png = {});

}  // namespace dynamax::app
