#pragma once
// Opens the workbench window on the demo workspace and runs the Qt event loop.

namespace dynamax::app {

int launch_main_window();

}  // namespace dynamax::app
