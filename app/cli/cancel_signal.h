#pragma once
// Ctrl-C (SIGINT) and SIGTERM for the long commands: the first sets a cancel flag that the job polls (between
// text pieces, blocks, tokens and batches), so the run stops cleanly and stays resumable; a second one, for a
// job that is slow to notice, ends the process at once.
#include <atomic>

namespace dynamax::cli {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& cancel_on_signals();

}  // namespace dynamax::cli
