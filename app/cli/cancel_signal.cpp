#include "app/cli/cancel_signal.h"

#include <csignal>

namespace dynamax::cli {

namespace {

std::atomic<bool> g_cancel{false};

extern "C" void request_cancel(int signal_number) {
  if (g_cancel.exchange(true)) {  // asked twice: stop now
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

}  // namespace

const std::atomic<bool>& cancel_on_signals() {
  std::signal(SIGINT, request_cancel);
  std::signal(SIGTERM, request_cancel);
  return g_cancel;
}

}  // namespace dynamax::cli
