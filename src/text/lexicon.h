// Word lists the line features use: stop words per language and boilerplate
// wording ("read also", "lire aussi", cookie, log in, share...) in many
// languages. Written for winnow; all lower-case, tokens as the feature code
// splits them (letters and digits, apostrophes split words).
//
// Thread-safety: immutable data built on first use (function-local statics).
#ifndef WINNOW_SRC_TEXT_LEXICON_H_
#define WINNOW_SRC_TEXT_LEXICON_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace winnow::text_internal {

// Languages with a stop-word list, in a fixed order (the bit index in
// StopWordMasks()).
const std::vector<std::string>& StopLanguages();
// For evaluation tools only (text_features --hide-stop-lang): the stop list of
// `lang` is left out, as if the language had none (a language the lexicon does
// not cover). Must be called before any feature is computed; false when the
// lexicon has no such language.
bool HideStopLanguage(const std::string& lang);
// token -> bit set of the languages whose list holds it.
const std::unordered_map<std::string, uint32_t>& StopWordMasks();

// Phrases that mark the end of an article ("read also", "related articles").
const std::vector<std::string>& EndMarkerPhrases();
// Phrases typical of page chrome (cookie, log in, subscribe, share...).
const std::vector<std::string>& BoilerplatePhrases();

}  // namespace winnow::text_internal

#endif  // WINNOW_SRC_TEXT_LEXICON_H_
