// Fuzz target: the image checks for uploads (clash/media.h CheckImage: PNG, JPEG, WebP, GIF by their
// bytes, dimension limits, metadata stripping). A checked image must check again to the same
// type and size (the cleaned bytes are what gets stored and served).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clash/media.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const clash::ImageLimits limits{.max_bytes = 64 * 1024, .max_side = 4096, .max_pixels = 1'000'000};
  auto image = clash::CheckImage(bytes, limits);
  if (!image.ok()) {
    if (image.status().code() != clash::StatusCode::kInvalidArgument) __builtin_trap();
    return 0;
  }
  if (image->width <= 0 || image->height <= 0 || image->width > limits.max_side || image->height > limits.max_side)
    __builtin_trap();
  if (image->bytes.size() > bytes.size()) __builtin_trap();  // cleaning only removes
  auto again = clash::CheckImage(image->bytes, limits);
  if (!again.ok() || again->type != image->type || again->width != image->width || again->height != image->height)
    __builtin_trap();
  (void)clash::DeclaredTypeMatches("image/jpg", image->type);
  return 0;
}
