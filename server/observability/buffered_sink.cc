#include "observability/buffered_sink.h"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>

namespace homevisit::observability {

BufferedFdSink::BufferedFdSink(int fd, std::chrono::milliseconds interval, size_t capacity)
    : fd_(fd), interval_(interval), capacity_(capacity), flusher_([this] { FlushLoop(); }) {
  std::lock_guard lock(mutex_);  // the flusher may already be running
  buffer_.reserve(capacity_);
}

BufferedFdSink::~BufferedFdSink() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  flusher_.join();
  std::lock_guard lock(mutex_);
  WriteOut();
}

void BufferedFdSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t formatted;
  formatter_->format(msg, formatted);
  buffer_.append(formatted.data(), formatted.size());
  if (buffer_.size() >= capacity_) WriteOut();
}

void BufferedFdSink::flush_() { WriteOut(); }

void BufferedFdSink::WriteOut() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // nowhere to write (closed stderr): the lines are dropped, never the call
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

void BufferedFdSink::FlushLoop() {
  pthread_setname_np(pthread_self(), "hv-log-flush");
  std::unique_lock stop_lock(stop_mutex_);
  while (!stop_.wait_for(stop_lock, interval_, [this] { return stopping_; })) {
    stop_lock.unlock();
    flush();  // base_sink::flush takes mutex_
    stop_lock.lock();
  }
}

}  // namespace homevisit::observability
