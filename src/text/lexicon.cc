#include "text/lexicon.h"

#include <sstream>

namespace winnow::text_internal {
namespace {

// Function words: the most frequent closed-class words of each language.
// Short lists on purpose: they should cover running text (30-50% of its
// tokens) and almost nothing of menus, names and numbers.
struct StopList {
  const char* lang;
  const char* words;
};

constexpr StopList kStopLists[] = {
    {"en",
     "the of and to a in is that for it as was with be by on not he i this are or his "
     "from at which but have an they you were her she there been their has would we "
     "will all can if its who our so than also into these them when more what do did "
     "had my one about out there then could should"},
    {"de",
     "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
     "auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie "
     "einem über einen so zum war haben nur oder aber vor zur bis mehr durch man "
     "sein wurde sei ich wir ihr kann wenn"},
    {"fr",
     "le la les de des du un une et en à au aux est que qui dans pour par sur pas ne "
     "il elle ils se ce cette son sa ses avec plus ou mais a été être d l qu s n c j "
     "nous vous leur leurs lui y ont sont comme tout aussi"},
    {"es",
     "el la los las de del y en a que es un una por con no se para al lo como más "
     "pero sus su le ha me si sin sobre este ya entre cuando todo esta ser son dos "
     "también fue había era muy años hasta desde está mi porque qué sólo yo"},
    {"it",
     "il lo la i gli le di del della dei delle e è in un una che per con non si da "
     "al alla sono come più ma anche nel nella questo ha se sul sulla ci essere "
     "era loro tra suo sua ed o"},
    {"pt",
     "o a os as de do da dos das e em um uma que é para com não se por no na mais "
     "como mas ao foi ele ela seu sua ou são à também já pelo pela entre quando "
     "muito nos isso esta está"},
    {"nl",
     "de het een en van in is dat op te voor met zijn niet aan er die ook als bij "
     "door om maar dan wordt nog naar uit tot kan zijn was hij zij ze wij we je of "
     "meer heeft hebben deze dit werd"},
    {"sv",
     "och i att det som en på är av för med till den har de inte om ett han men var "
     "jag sig från vi så kan man när år säger hon under också efter eller nu sin där "
     "vid mot ska skulle kommer ut får finns vara"},
    {"da",
     "og i at det som en på er af for med til den har de ikke om et han men var "
     "jeg sig fra vi så kan man når år hun under også efter eller nu sin der "
     "ved mod skal skulle kommer ud får findes være"},
    {"fi",
     "ja on ei se että hän oli ovat mutta tai kun jos niin myös kuin joka sen ole "
     "mitä ne tämä olla ollut vain voi sitä jo nyt hänen tai siitä mukaan joiden "
     "jotka sekä vielä kanssa olisi kaikki kuitenkin ollut yli"},
    {"pl",
     "i w na z że do nie się to jest o jak a po co tak za od ale jego przez "
     "już lub dla są był jej przy tym może być ich tylko czy jako było gdy oraz "
     "które która który także"},
    {"ru",
     "и в не на что с по я он как а то это к но из у за от же так для о все его "
     "она был только бы мы уже вы ли если или когда было до их при также этого "
     "который которые чтобы"},
};

// Lines that open the end of an article: what follows is links and teasers.
constexpr const char* kEndMarkers =
    "read also|read more|see also|related|related articles|related posts|related stories|"
    "related news|more stories|more news|you may also like|you might also like|"
    "recommended|recommended for you|more from|most read|most popular|trending|"
    "lire aussi|à lire aussi|a lire aussi|lire la suite|voir aussi|sur le même sujet|"
    "aussi dans l actualité|dans l actualité|les plus lus|à découvrir aussi|"
    "lees ook|lees meer|meer nieuws|ook interessant|meest gelezen|"
    "mehr zum thema|lesen sie auch|auch interessant|das könnte sie auch interessieren|"
    "weitere artikel|weiterlesen|meistgelesen|"
    "leer también|lee también|leer más|noticias relacionadas|te puede interesar|"
    "lo más leído|"
    "lue myös|lue lisää|luetuimmat|"
    "läs också|läs mer|mest läst|"
    "leggi anche|leggi di più|articoli correlati|"
    "leia também|leia mais|veja também|notícias relacionadas|"
    "czytaj także|czytaj też|czytaj więcej|zobacz też|zobacz także|"
    "читайте также|читать далее|смотрите также|похожие статьи";

// Wording of page chrome in many languages.
constexpr const char* kBoilerplate =
    "cookie|cookies|log in|login|sign in|sign up|register|subscribe|newsletter|share|"
    "share this|tweet|facebook|twitter|instagram|whatsapp|pinterest|linkedin|youtube|"
    "all rights reserved|copyright|privacy policy|privacy|terms of use|terms of service|"
    "terms and conditions|contact us|about us|advertisement|advertise|click here|comments|"
    "leave a comment|reply|posted by|posted in|tags|categories|category|previous|next|"
    "menu|search|home|skip to content|back to top|follow us|email|print|loading|"
    "sponsored|powered by|sitemap|faq|help|account|my account|cart|shopping cart|"
    "connexion|se connecter|s abonner|abonnez vous|partager|publicité|"
    "tous droits réservés|mentions légales|commentaires|en savoir plus|accueil|rechercher|"
    "inloggen|log in of maak een account aan|abonneer|delen|reacties|gratis|"
    "anmelden|abonnieren|teilen|datenschutz|impressum|kommentare|alle rechte vorbehalten|"
    "werbung|startseite|suche|kontakt|"
    "iniciar sesión|suscríbete|compartir|comentarios|todos los derechos reservados|"
    "publicidad|política de privacidad|inicio|buscar|"
    "kirjaudu|tilaa|jaa|kommentit|evästeet|kaikki oikeudet pidätetään|etusivu|haku|"
    "logga in|prenumerera|dela|kommentarer|alla rättigheter förbehållna|kakor|startsida|sök|"
    "accedi|iscriviti|condividi|commenti|tutti i diritti riservati|pubblicità|cerca|"
    "entrar|assine|compartilhar|comentários|todos os direitos reservados|publicidade|"
    "zaloguj|subskrybuj|udostępnij|komentarze|wszelkie prawa zastrzeżone|reklama|szukaj|"
    "войти|подписаться|поделиться|комментарии|все права защищены|реклама|поиск";

std::vector<std::string> SplitBar(const char* s) {
  std::vector<std::string> out;
  std::string cur;
  for (const char* p = s; *p; ++p) {
    if (*p == '|') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(*p);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string& HiddenStopLanguage() {
  static std::string* lang = new std::string;
  return *lang;
}

}  // namespace

bool HideStopLanguage(const std::string& lang) {
  bool known = false;
  for (const StopList& l : kStopLists) known = known || lang == l.lang;
  if (known) HiddenStopLanguage() = lang;
  return known;
}

const std::vector<std::string>& StopLanguages() {
  static const std::vector<std::string>* langs = [] {
    auto* v = new std::vector<std::string>;
    for (const StopList& l : kStopLists) v->push_back(l.lang);
    return v;
  }();
  return *langs;
}

const std::unordered_map<std::string, uint32_t>& StopWordMasks() {
  static const std::unordered_map<std::string, uint32_t>* masks = [] {
    auto* m = new std::unordered_map<std::string, uint32_t>;
    uint32_t bit = 1;
    for (const StopList& l : kStopLists) {
      if (HiddenStopLanguage() == l.lang) {  // its bit stays unused
        bit <<= 1;
        continue;
      }
      std::istringstream in(l.words);
      std::string w;
      while (in >> w) (*m)[w] |= bit;
      bit <<= 1;
    }
    return m;
  }();
  return *masks;
}

const std::vector<std::string>& EndMarkerPhrases() {
  static const std::vector<std::string>* v = new std::vector<std::string>(SplitBar(kEndMarkers));
  return *v;
}

const std::vector<std::string>& BoilerplatePhrases() {
  static const std::vector<std::string>* v = new std::vector<std::string>(SplitBar(kBoilerplate));
  return *v;
}

}  // namespace winnow::text_internal
