#pragma once
// Opens the workbench window and runs the Qt event loop.
#include <string>

namespace dynamax::app {

// Opens `workspace` (empty: the last session's, else ~/.local/share/dynamax/workspace.db; a new workspace starts
// as the demo: the tiny models and the built-in prompt set). With a non-empty `screenshot_png`, waits until the
// workspace is loaded and analysed, renders the window into that PNG and returns instead of running the event loop
// (works offscreen too).
int launch_main_window(const std::string& screenshot_png = {}, const std::string& workspace = {});

}  // namespace dynamax::app
