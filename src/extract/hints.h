// Boilerplate / content hints from class, id and role attribute values.
// Internal to src/extract. The word lists are generic page-structure
// vocabulary in several languages, never names of sites.
#ifndef WINNOW_SRC_EXTRACT_HINTS_H_
#define WINNOW_SRC_EXTRACT_HINTS_H_

#include <cstdint>
#include <string_view>

namespace winnow {
namespace extract_internal {

enum HintFlags : uint32_t {
  kHintBoilerplate = 1u << 0,  // navigation, sidebar, footer, share, ads...
  kHintComment = 1u << 1,      // reader comments
  kHintContent = 1u << 2,      // article, post body, entry content...
  kHintHidden = 1u << 3,       // visually hidden (sr-only, hidden...)
  kHintRelated = 1u << 4,      // related / recommended / more-stories lists
  kHintCookie = 1u << 5,       // cookie / consent / newsletter / modal
  kHintMeta = 1u << 6,         // byline / dates / tags: weak boilerplate
  kHintReview = 1u << 7,       // customer reviews: comments on a product page only
  kHintHeader = 1u << 8,       // "header": boilerplate on articles and threads only
};

// Hints from one attribute value (class or id), e.g. "post-body entry".
uint32_t HintsFromClassOrId(std::string_view value);
// The same, and `*fnv` = Fnv1a64(value) (of the whole value) unless `fnv`
// is null, kept in the memo with the hints: the hash of a value met again
// costs no byte loop.
uint32_t HintsFromClassOrId(std::string_view value, uint64_t* fnv);
// Hints from one name of a class value (no white space in it): what
// HintsFromClassOrId(name) gives, from the per-thread memo of names.
uint32_t HintsFromClassName(std::string_view name);
// The same for a caller that has hashed the name: hash == NameHash(name).
uint32_t HintsFromClassName(std::string_view name, uint64_t hash);
// The hash of a name that the memo uses (spreads all bits; names are short).
uint64_t NameHash(std::string_view name);
// Hints from a role attribute (navigation, complementary, contentinfo...).
uint32_t HintsFromRole(std::string_view role);

}  // namespace extract_internal
}  // namespace winnow

#endif  // WINNOW_SRC_EXTRACT_HINTS_H_
