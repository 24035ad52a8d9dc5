#pragma once
// List pages bounded by bytes as well as by rows: a page ends early (with a next_page_token)
// rather than outgrow the message limit, whatever page_size and view allowed.
#include <cstddef>
#include <vector>

namespace homevisit::api {

// 3 MiB of the 4 MiB send limit, leaving room for the token and framing. One item (an order
// with its 256 KiB signature image) is far below it, so every page holds at least one.
inline constexpr size_t kMaxPageBytes = 3 * 1024 * 1024;

// Converts `items` in order with `convert(item, Message*)` and appends each through `add()`
// while the page stays within kMaxPageBytes (the first always goes in). Returns how many went in.
template <typename Message, typename Item, typename Add, typename Convert>
size_t FillPage(const std::vector<Item>& items, Add add, Convert convert) {
  size_t bytes = 0;
  size_t added = 0;
  for (const Item& item : items) {
    Message message;
    convert(item, &message);
    size_t size = message.ByteSizeLong();
    if (added > 0 && bytes + size > kMaxPageBytes) break;
    bytes += size;
    *add() = std::move(message);
    ++added;
  }
  return added;
}

}  // namespace homevisit::api
