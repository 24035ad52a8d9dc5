#pragma once
// List pages bounded by bytes as well as by rows: a page ends early (with a next_page_token)
// rather than outgrow the message limit, whatever page_size and view allowed.
#include <cstddef>
#include <vector>

#include <google/protobuf/repeated_ptr_field.h>

namespace homevisit::api {

// 3 MiB of the 4 MiB send limit, leaving room for the token and framing. One item (an order
// with its 256 KiB signature image) is far below it, so every page holds at least one.
inline constexpr size_t kMaxPageBytes = 3 * 1024 * 1024;

// Converts `items` in order with `convert(item, Message*)` into new elements of `page` while the
// page stays within kMaxPageBytes (the first always goes in). Returns how many went in. Each is
// built in place, on the page's arena when it has one: no copy per item.
template <typename Message, typename Item, typename Convert>
size_t FillPage(const std::vector<Item>& items, google::protobuf::RepeatedPtrField<Message>* page, Convert convert) {
  size_t bytes = 0;
  size_t added = 0;
  for (const Item& item : items) {
    Message* message = page->Add();
    convert(item, message);
    size_t size = message->ByteSizeLong();
    if (added > 0 && bytes + size > kMaxPageBytes) {
      page->RemoveLast();
      break;
    }
    bytes += size;
    ++added;
  }
  return added;
}

}  // namespace homevisit::api
