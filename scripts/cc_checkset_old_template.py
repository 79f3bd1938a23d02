"""The deed template the site served before the sample's (cc-legal-tools-data commit 019dfef,
docs/licenses/by-sa/3.0/deed.ar.html and deed.en.html): web-component header and footer outside
<main>; skip link, breadcrumbs and the language drop-down inside <main>; the 'older version'
disclaimer in English with the 4.0 licence's name in the page's language."""
import re

LANGS = [("an", "aragonés"), ("id", "Bahasa Indonesia"), ("eu", "Basque"), ("ca", "català"), ("da", "dansk"), ("de", "Deutsch"),
         ("et", "eesti"), ("en", "English"), ("es", "español"), ("eo", "Esperanto"), ("fr", "français"), ("ga", "Gaeilge"),
         ("gl", "galego"), ("hr", "Hrvatski"), ("it", "italiano"), ("lv", "latviešu"), ("lt", "Lietuviškai"), ("hu", "Magyar"),
         ("ms", "Melayu"), ("nl", "Nederlands"), ("no", "norsk"), ("pl", "polski"), ("pt", "Português"), ("pt-br", "Português Brasileiro"),
         ("ro", "Română"), ("sl", "Slovenščina"), ("sr-latn", "srpski (latinica)"), ("fi", "suomi"), ("sv", "svenska"), ("tr", "Türkçe"),
         ("is", "Íslenska"), ("cs", "česky"), ("el", "Ελληνικά"), ("be", "беларуская"), ("bg", "български"), ("ru", "Русский"),
         ("uk", "Українська"), ("ar", "العربيّة"), ("fa", "فارسی"), ("bn", "বাংলা"), ("ja", "日本語"), ("zh-hans", "简体中文"),
         ("zh-hant", "繁體中文"), ("ko", "한국어")]
SEL = ' selected=""'
DONATE = "https://www.classy.org/give/313412/#!/donation/checkout?c_src=website&amp;c_src2="
S = {"ar": {"skip": "تخطي إلى المحتوى", "home": "الرئيسية", "disc": "إخلاء المسؤولية", "free": "لك مطلق الحرية في:",
            "share": ("المشاركة", "— نسخ وتوزيع ونقل العمل لأي وسط أو شكل."), "adapt": ("التعديل", "— المزج، التحويل، والإضافة على العمل."),
            "any": "لأي غرض، بما في ذلك تجارياً.", "revoke": "لا يمكن للمرخِّص إلغاء هذه الصلاحيات طالما اتبعت شروط الرخصة.",
            "terms": "بموجب الشروط التالية:", "notices": "ملاحظات:"},
     "en": {"skip": "Skip to content", "home": "Home", "disc": "Disclaimer", "free": "You are free to:",
            "share": ("Share", "— copy and redistribute the material in any medium or format"), "adapt": ("Adapt", "— remix, transform, and build upon the material"),
            "any": "for any purpose, even commercially.", "revoke": "The licensor cannot revoke these freedoms as long as you follow the license terms.",
            "terms": "Under the following terms:", "notices": "Notices:"}}
CLAUSE = {
 "by": {"ar": ("نَسب المُصنَّف", '-\n        يجب عليك نَسب العمل لصاحبه\n         <a class="helpLink" href="#" id="appropriate_credit_popup">\n          بطريقة مناسبة\n         </a>\n         ، وتوفير رابط للترخيص،\n         <span rel="cc:requires" resource="http://creativecommons.org/ns#Notice">\n          <a class="helpLink" href="#" id="indicate_changes_popup">\n           وبيان إذا ما قد أُجريت أي تعديلات على العمل\n          </a>\n         </span>\n         . يمكنك القيام بهذا بأي طريقة مناسبة، ولكن على ألا يتم ذلك بطريقة توحي بأن المؤلف أو المرخِّص مؤيد لك أو لعملك.'),
        "en": ("Attribution", '-\n        You must give\n         <a class="helpLink" href="#" id="appropriate_credit_popup">\n          appropriate credit\n         </a>\n         , provide a link to the license, and\n         <span rel="cc:requires" resource="http://creativecommons.org/ns#Notice">\n          <a class="helpLink" href="#" id="indicate_changes_popup">\n           indicate if changes were made\n          </a>\n         </span>\n         . You may do so in any reasonable manner, but not in any way that suggests the licensor endorses you or your use.')},
 "nc": {"ar": ("غير تجاري", '-\n        لا يمكنك استخدام هذا العمل\n         <a class="helpLink" href="#" id="commercial_purposes_popup">\n          لأغراض تجارية\n         </a>\n         .'),
        "en": ("NonCommercial", '-\n        You may not use the material for\n         <a class="helpLink" href="#" id="commercial_purposes_popup">\n          commercial purposes\n         </a>\n         .')},
 "sa": {"ar": ("الترخيص بالمثل", '- إذا قمت بأي تعديل، تغيير، أو إضافة على هذا العمل، فيجب عليك توزيع العمل الناتج\n         <a class="helpLink" href="#" id="same_license_popup">\n          بنفس شروط ترخيص\n         </a>\n         العمل الأصلي.'),
        "en": ("ShareAlike", '- If you remix, transform, or build upon the material, you must distribute your contributions under the\n         <a class="helpLink" href="#" id="same_license_popup">\n          same license\n         </a>\n         as the original.')},
 "nd": {"ar": ("منع الاشتقاق", '- إذا قمت\n         <a class="helpLink" href="#" id="some_kinds_of_mods_popup">\n          التعديل، التحويل، أو البناء\n         </a>\n         على هذا العمل، لا يمكنك توزيع المواد المعدلة.'),
        "en": ("NoDerivatives", '- If you\n         <a class="helpLink" href="#" id="some_kinds_of_mods_popup">\n          remix, transform, or build upon\n         </a>\n         the material, you may not distribute the modified material.')},
 "": {"ar": ("منع القيود الإضافية", '- يجب عليك ألا تطبق أي شروط قانونية أو\n         <a class="helpLink" href="#" id="technological_measures_popup">\n          تدابير تكنولوجية\n         </a>\n         تقيد الآخرين من ممارسة الصلاحيات التي تسمح بها الرخصة.'),
      "en": ("No additional restrictions", '- You may not apply legal terms or\n         <a class="helpLink" href="#" id="technological_measures_popup">\n          technological measures\n         </a>\n         that legally restrict others from doing anything the license permits.')}}
NOTES = {"ar": ('لا يتوجب عليك الامتثال لشروط الرخصة مع العناصر الخاضعة للملك العام في المصنف أو إذا كان استخدامك ضمن نطاق\n       <a class="helpLink" href="#" id="exception_or_limitation_popup">\n        الاستثناءات أو الصلاحيات\n       </a>\n       .',
                'بدون ضمانات. قد لا توفر لك الرخصة كل الصلاحيات التي تحتاجها لغرض معين. فمثلاً، الحقوق الأخرى مثل\n       <a class="helpLink" href="#" id="publicity_privacy_or_moral_rights_popup">\n        الشهرة، الخصوصية، أو الحقوق المعنوية\n       </a>\n       قد تحد من استخدامك المُصنَّف.'),
         "en": ('You do not have to comply with the license for elements of the material in the public domain or where your use is permitted by an applicable\n       <a class="helpLink" href="#" id="exception_or_limitation_popup">\n        exception or limitation\n       </a>\n       .',
                'No warranties are given. The license may not give you all of the permissions necessary for your intended use. For example, other rights such as\n       <a class="helpLink" href="#" id="publicity_privacy_or_moral_rights_popup">\n        publicity, privacy, or moral rights\n       </a>\n       may limit how you use the material.')}


def _icon(e, size, extra, side):
    return f'        <i class="cc-{e} icon has-text-black has-background-white is-size-{size} {extra}">\n        </i>\n'


def page(lic, els, ver, lang, name, name40):
    """The page of licenses/{lic}/{ver}/deed.{lang} (unported) in the older template."""
    s, path = S[lang], f"/licenses/{lic}/{ver}"
    ident = f"CC {lic.upper()} {ver}"
    opts = "".join(f'        <option data-link="{path}/deed.{c}" id="option-{c}"{SEL if c == lang else ""} value="{c}">\n         {n}\n        </option>\n' for c, n in LANGS)
    def h3(cls, span, extra=""):
        icons = "".join(f'        <i class="cc-{e} icon has-text-black has-background-white is-size-1 is-hidden-touch margin-normal padding-bottom-small{extra}">\n        </i>\n'
                        f'        <i class="cc-{e} icon has-text-black has-background-white is-size-2 padding-left-normal is-hidden-desktop margin-small padding-bottom-small{extra}">\n        </i>\n'
                        for e in ["logo"] + els)
        return f'      <h3 class="{cls}">\n       <span{span}>\n{icons}       </span>\n' + (f"       {ident}\n" if not extra else "") + "      </h3>\n"
    rights = f'      <p class="has-text-black body-big padding-bottom-normal">\n       <strong>\n        {s["share"][0]}\n       </strong>\n       {s["share"][1]}\n' + \
             ("" if "nc" in els else f'        {s["any"]}\n') + "      </p>\n"
    if "nd" not in els:
        rights += f'      <p class="has-text-black body-big padding-bottom-small">\n       <strong>\n        {s["adapt"][0]}\n       </strong>\n       {s["adapt"][1]}\n' + \
                  ("" if "nc" in els else f'          {s["any"]}\n') + "      </p>\n"
    terms = ""
    for e in els + [""]:
        icon = (f'        <i class="cc-{e} icon has-text-black has-background-white is-size-1 padding-right-big is-hidden-touch">\n        </i>\n'
                f'        <i class="cc-{e} icon has-text-black has-background-white is-size-2 padding-right-normal is-hidden-desktop">\n        </i>\n') if e else ""
        c = CLAUSE[e][lang]
        terms += (f'       <div class="column is-1">\n{icon}       </div>\n       <div class="column is-11">\n        <p class="has-text-black body-big padding-bottom-normal">\n'
                  f'         <span style="font-weight: bold;">\n          {c[0]}\n         </span>\n         {c[1]}\n        </p>\n       </div>\n')
    n = NOTES[lang]
    t = f'''<!DOCTYPE html>
<html dir="{"rtl" if lang == "ar" else "ltr"}" lang="{lang}">
 <head about="https://creativecommons.org{path}/">
  <meta charset="utf-8"/>
  <meta content="width=device-width, initial-scale=1.0" name="viewport"/>
  <title>
   {ident} Deed — {name} — Creative Commons
  </title>
  <link href="https://creativecommons.org{path}/deed.{lang}" rel="canonical"/>
  <link href="https://unpkg.com/bulma@0.9.3/css/bulma.min.css" rel="stylesheet"/>
  <link href="https://unpkg.com/@creativecommons/vocabulary-fonts@0.1.1/dist/css/fonts.css" rel="stylesheet"/>
  <link href="https://unpkg.com/@creativecommons/vocabulary-styles@0.3.0/dist/css/vocabulary-styles.css" rel="stylesheet"/>
  <link href="/cc-legal-tools/base.css" rel="stylesheet"/>
  <!-- Import Vue JS via CDN -->
  <script src="https://unpkg.com/vue@3.2.31/dist/vue.global.js">
  </script>
  <!-- Import Axios via CDN. Needed for the Global Header Component -->
  <script src="https://unpkg.com/axios@0.26.0/dist/axios.min.js">
  </script>
  <!-- Import the Component Library via CDN -->
  <script src="https://unpkg.com/@creativecommons/cc-global-components@0.5.0/dist/cc-globals.min.js">
  </script>
  <link href="/cc-legal-tools/deed.css" rel="stylesheet"/>
 </head>
 <body about="https://creativecommons.org{path}/" typeof="cc:License">
  <!-- Div element used to mount the Explore CC component-->
  <div id="explore-cc">
   <cc-explore donation-url="{DONATE}top-of-page-banner" logo-url="/wp-content/themes/creativecommons-base/assets/img/cc.logo.white.svg">
   </cc-explore>
  </div>
  <!-- Div element used to mount the Global Header component-->
  <div id="header-cc">
   <header class="vocab header">
    <div class="is-flex is-justify-content-flex-end">
     <a class="button normal donate is-header" href="{DONATE}NavBar" type="button">
      <i class="icon heart">
      </i>
      Donate
     </a>
    </div>
    <nav aria-label="Main" class="navbar">
     <div class="navbar-brand">
      <a class="main-logo navbar-item" href="/" target="_blank">
       <div class="has-text-black">
        <img alt="Logo" src="/wp-content/themes/creativecommons-base/assets/img/cc.logo.dark.gray.svg"/>
       </div>
      </a>
     </div>
     <div>
      <p>
       (development instance: no site menu)
      </p>
     </div>
    </nav>
   </header>
  </div>
  <main>
   <div class="level padding-right-big padding-left-large padding-vertical-normal">
    <a class="skip-link" href="#content">
     {s["skip"]}
    </a>
    <nav aria-label="breadcrumbs" class="breadcrumb level-left caption bold">
     <ul>
      <li>
       <a href="/">
        {s["home"]}
       </a>
      </li>
      <li>
       <a href="/licenses/">
        Licenses
       </a>
      </li>
      <li class="is-active">
       <a aria-current="page displayed" href="{path}/deed.{lang}">
        {ident} Deed
       </a>
      </li>
     </ul>
    </nav>
    <div class="locale level-right level-item has-text-black">
     Languages available
     <div class="control margin-right-small">
      <div class="select">
       <select id="languages-dropdown">
        <option disabled="">
         Select
        </option>
{opts}       </select>
      </div>
      <div class="icon is-small is-right">
       <!-- TODO Add icons here -->
      </div>
     </div>
    </div>
    <script src="/cc-legal-tools/language-dropdown.js">
    </script>
   </div>
   <section class="padding-horizontal-larger" id="content">
    <div class="level container">
     <div class="level-item level-right">
      <a class="button tiny is-pulled-right" href="legalcode.en" id="next-btn">
       See the legal code
      </a>
     </div>
    </div>
    <div class="container">
     <div class="padding-bigger has-background-info-light" id="disclaimer-info-section">
      <h4 class="padding-bottom-normal is-vcentered b-header">
       <i class="info icon padding-left-normal">
       </i>
       {s["disc"]}
      </h4>
      <p class="has-text-black padding-right-big">
       This is an older version of this license. Compared to previous versions, the 4.0 versions of all CC licenses are
       <a href="/version4/">
        more user-friendly and more internationally robust
       </a>
       . If you are
       <a href="/choose/">
        licensing your own work
       </a>
       , we strongly recommend the use of the 4.0 license instead:
       <a href="../4.0/deed.{lang}">
        {name40}
       </a>
      </p>
     </div>
     <div class="margin-vertical-bigger padding-xxl" id="deed-body">
{h3("is-hidden-touch", ' class="padding-left-bigger"')}{h3("is-hidden-desktop is-hidden-mobile", ' class="padding-left-big"')}{h3("is-hidden-tablet", "", " margin-horizontal-smaller margin-vertical-small")}      <h4 class="has-text-centered is-hidden-tablet padding-right-normal">
       {ident}
      </h4>
      <h2 class="margin-bottom-larger b-header is-hidden-touch">
       {name}
      </h2>
      <h3 class="margin-bottom-larger b-header is-hidden-desktop has-text-centered">
       {name}
      </h3>
      <h3 class="b-header has-text-black padding-bottom-big padding-top-normal" style="font-weight: bold;">
       {s["free"]}
      </h3>
{rights}      <p class="has-text-black body-big padding-bottom-small">
       {s["revoke"]}
      </p>
      <h3 class="b-header has-text-black padding-bottom-big padding-top-normal" style="font-weight: bold;">
       {s["terms"]}
      </h3>
      <div class="columns is-multiline">
{terms}      </div>
      <h3 class="b-header has-text-black padding-bottom-big padding-top-normal" style="font-weight: bold;">
       {s["notices"]}
      </h3>
      <p class="has-text-black body-big padding-bottom-normal">
       {n[0]}
      </p>
      <p class="has-text-black body-big padding-bottom-normal">
       {n[1]}
      </p>
     </div>
     <div class="columns margin-top-normal is-vcentered">
      <div class="menu padding-vertical-normal column padding-left-large">
       <ul class="menu-list">
        <li>
         <p class="body-big has-text-black">
          Creative Commons is the nonprofit behind the open licenses and other legal tools that allow creators to share their work. Our legal tools are free to use.
         </p>
         <ul>
''' + "".join(f'''          <li>
           <span class="body-bigger padding-left-normal padding-top-small">
            •
           </span>
           <a class="is-inline body-big" href="{h}" style="font-weight: bold;">
            {x}
           </a>
          </li>
''' for h, x in [("/about/", "Learn more about our work"), ("/about/cclicenses/", "Learn more about CC Licensing"),
                 ("/donate/", "Support our work"), ("/choose/", "Use the license for your own material.")]) + f'''         </ul>
        </li>
       </ul>
      </div>
     </div>
    </div>
   </section>
  </main>
  <!-- Div element used to mount the Global Footer component-->
  <div id="footer-cc">
   <cc-global-footer donation-url="{DONATE}top-of-page-banner" logo-url="/wp-content/themes/creativecommons-base/assets/img/cc.logo.white.svg">
   </cc-global-footer>
  </div>
  <script src="/cc-legal-tools/load_components.js">
  </script>
 </body>
</html>
'''
    if lang != "ar":  # the left-to-right page mirrors the paddings
        t = re.sub(r"(padding|margin)-(left|right)-", lambda m: f"{m.group(1)}-{'right' if m.group(2) == 'left' else 'left'}-", t)
        t = t.replace("padding-left-big padding-right-large padding-vertical-normal", "padding-right-big padding-left-large padding-vertical-normal")
    return t
