#include "domain/png_image.h"

#include <png.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace homevisit::domain {

std::string PngProblem(absl::string_view bytes, const PngBounds& bounds) {
  if (bytes.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8) != 0) {
    return "must be a PNG image";
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    return "must be a PNG image that decodes (its header is unreadable)";
  }
  if (image.width < 1 || image.height < 1 || image.width > static_cast<png_uint_32>(bounds.max_width) ||
      image.height > static_cast<png_uint_32>(bounds.max_height) ||
      static_cast<long long>(image.width) * image.height > bounds.max_pixels) {
    png_image_free(&image);
    return absl::StrCat("must be at most ", bounds.max_width, " x ", bounds.max_height, " pixels and ",
                        bounds.max_pixels, " pixels in all");
  }
  // Decoding every row checks the chunks' CRCs and the compressed stream to its end.
  image.format = PNG_FORMAT_GRAY;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    return "must be a PNG image that decodes (its data is damaged or truncated)";
  }
  return "";
}

std::string MakeGrayPng(int width, int height) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_GRAY;
  std::vector<png_byte> pixels(static_cast<size_t>(width) * static_cast<size_t>(height));
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<png_byte>((i * 7) % 251);  // not flat
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr)) return "";
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr)) return "";
  out.resize(size);
  return out;
}

}  // namespace homevisit::domain
