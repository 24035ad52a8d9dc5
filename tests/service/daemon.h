#pragma once
// A real homevisitd child process whose stdout is read for the "listening on" line.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"

namespace homevisit::testing {

class Daemon {
 public:
  // With `capture_stderr`, the server's stderr joins the pipe too (read it with ReadRest).
  explicit Daemon(std::vector<std::string> args, bool capture_stderr = false) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      if (capture_stderr) dup2(out[1], STDERR_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      std::string binary = HOMEVISITD_PATH;
      argv.push_back(binary.data());
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
  }
  ~Daemon() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_) fclose(stdout_);
  }
  // The port from "homevisitd listening on HOST:PORT", or 0 if the process ended first.
  int WaitForPort() {
    char line[512];
    while (fgets(line, sizeof line, stdout_)) {
      std::string text(line);
      early_ += text;
      auto at = text.find("listening on ");
      if (at == std::string::npos) continue;
      int port = 0;
      std::string rest = text.substr(text.rfind(':') + 1);
      rest.erase(rest.find_last_not_of("\r\n") + 1);
      if (absl::SimpleAtoi(rest, &port)) return port;
    }
    return 0;
  }
  // Everything the process printed, up to its exit.
  std::string ReadRest() {
    std::string all = early_;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, stdout_)) > 0) all.append(buffer, n);
    return all;
  }
  // Sends `signal` and returns the exit status.
  int Stop(int signal = SIGTERM) {
    kill(pid_, signal);
    return Wait();
  }
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  std::string early_;  // what WaitForPort read
  bool reaped_ = false;
};

}  // namespace homevisit::testing
