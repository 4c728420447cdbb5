// ChunkedLog: an append-only sequence stored in fixed-size chunks, for the profiler's per-call records.
// Not a general container: append, iterate in order, clear; nothing is ever erased or moved.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace tt::profile {

// push_back never copies or moves what is already stored (a std::vector copies everything each
// time it grows: measured as most of the profiler's per-scope cost, plus fresh page faults).
// clear() keeps the chunks, so a profiler that is reset and reused does not allocate again.
template <class T, std::size_t ChunkSize = 4096>
class ChunkedLog {
 public:
  void push_back(const T& value) {
    const std::size_t chunk = size_ / ChunkSize;
    if (chunk == chunks_.size()) chunks_.push_back(std::make_unique<T[]>(ChunkSize));
    chunks_[chunk][size_ % ChunkSize] = value;
    ++size_;
  }
  void clear() noexcept { size_ = 0; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const T& operator[](std::size_t i) const { return chunks_[i / ChunkSize][i % ChunkSize]; }

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;
    const_iterator() = default;
    const_iterator(const ChunkedLog* log, std::size_t i) : log_(log), i_(i) {}
    reference operator*() const { return (*log_)[i_]; }
    pointer operator->() const { return &(*log_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }
    bool operator!=(const const_iterator& o) const { return i_ != o.i_; }

   private:
    const ChunkedLog* log_ = nullptr;
    std::size_t i_ = 0;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace tt::profile
