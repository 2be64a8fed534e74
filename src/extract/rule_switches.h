// Settings of extraction rules that were chosen on the dev sets, as a
// struct a benchmark can change, so that each set can be scored with the
// settings chosen on the others (extract_bench --cross-set). Internal to
// src/extract and its benchmark; users never see them.
//
// The defaults are the shipped configuration (extract.cc checks them
// against its constants). Extract() only reads g_rule_switches; a program
// that changes it must do so while no Extract() call runs (the benchmark is
// single-threaded). Rules are numbered as in doc/extract.md.
#ifndef WINNOW_SRC_EXTRACT_RULE_SWITCHES_H_
#define WINNOW_SRC_EXTRACT_RULE_SWITCHES_H_

#include <cstdint>

namespace winnow {
namespace extract_internal {

struct RuleSwitches {
  // Algorithm step 4: unmarked containers widened to this share of the
  // live prose; marked ones to widen_marked_share (page-types rule 8, 0 =
  // never).
  double widen_share = 0.7;
  double widen_marked_share = 0.3;
  // Step 6: fall back to the block classifier below this share of prose.
  double fallback_share = 0.25;
  // Step 8: lead paragraphs above the container.
  bool lead = true;
  // Page-types rule 2: comment blocks are a thread's content when at most
  // this much prose lies outside them (none of it in a marked article).
  uint32_t thread_outside_prose = 300;
  // Rule 10: extract again with hidden elements walked.
  bool hidden_retry = true;
  // Rule 14: link lists kept when they hold this many times the kept text.
  double link_page_share = 2.0;
  // Rule 16: pages of headed sections (sections_min > 1000 = never).
  uint32_t sections_min = 3;
  uint32_t sections_min_chars = 1000;
  // Rules 17 and 18: repeated labels and quoted posts dropped on threads.
  bool thread_labels = true;
  bool thread_quotes = true;
  // Rule 19: other card groups within this ratio of size per card (1 =
  // only groups of exactly the same size).
  double card_group_ratio = 1.5;
  // Rule 24: off articles and threads, a header-named block is
  // boilerplate when at least this share of its text is linked (0 = always,
  // the rule off; > 1 = never).
  double header_link_share = 0.7;
  // Rule 27: the container is widened to <main> when it holds less than
  // this share of main's text (0 = never) and less than this much prose.
  double main_part_share = 0.5;
  uint32_t main_part_max_prose = 3000;
  // Rule 30: a block of >= repeat_min_segs kept lines and >= repeat_min_chars
  // units whose kept text is that of an earlier block is dropped (0 = off).
  uint32_t repeat_min_chars = 100;
  uint32_t repeat_min_segs = 2;
  // Rule 36: a hidden element whose id a toggle's aria-controls names
  // (one with aria-expanded) is a collapsed panel: walked.
  bool disclosure = true;
};

inline RuleSwitches g_rule_switches;

}  // namespace extract_internal
}  // namespace winnow

#endif  // WINNOW_SRC_EXTRACT_RULE_SWITCHES_H_
