#pragma once
// Signature images [B9]: a PNG is accepted only if libpng decodes it whole, within bounds that
// keep one request's decoding cheap (a small compressed file may declare a huge image).
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace homevisit::domain {

struct PngBounds {
  int max_width = 2048;
  int max_height = 2048;
  long long max_pixels = 2'000'000;  // decoded as 8-bit gray: at most this many bytes in memory
};

// Why `bytes` is not an acceptable PNG image ("" when it is): not a PNG, a PNG that does not
// decode (bad chunk, bad CRC, truncated data), or one larger than `bounds`.
std::string PngProblem(absl::string_view bytes, const PngBounds& bounds = {});

// A valid PNG of `width` x `height` 8-bit gray pixels (tests and demo data).
std::string MakeGrayPng(int width, int height);

}  // namespace homevisit::domain
