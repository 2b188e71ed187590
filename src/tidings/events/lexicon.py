"""Word lists: event triggers by family, weapons, actor sectors and country adjectives."""

from __future__ import annotations

# Trigger lemmas grouped by family. A sentence gets one event per family it mentions; the
# classifier then picks the sub-type within the family. Families follow ACLED's event types,
# with the five extra types in their own families.
FAMILIES: dict[str, tuple[str, ...]] = {
    "battle": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "remote": ("Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
               "Remote explosive/landmine/IED", "Grenade"),
    "violence": ("Sexual violence", "Attack", "Abduction/forced disappearance", "Mob violence", "Organized crime"),
    "protest": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters", "Violent demonstration"),
    "strategic": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                  "Headquarters or base established", "Looting/property destruction",
                  "Non-violent transfer of territory", "Other"),
    "disaster": ("Natural disaster", "Man-made disaster"),
    "diplomacy": ("Diplomatic event", "Attribution of responsibility"),
}

TRIGGERS: dict[str, str] = {}
for _family, _lemmas in {
    "battle": "clash fight fighting battle engage combat firefight gunfight skirmish ambush offensive assault "
              "recapture retake regain liberate overrun capture seize reclaim repel storm drive",
    "remote": "strike airstrike bomb bombing bombard shell shelling artillery mortar rocket missile drone raid "
              "explosion blast explode detonate grenade landmine ied barrage chlorine sarin gas",
    "violence": "attack kill murder massacre shoot stab behead execute kidnap abduct rape assault lynch "
                "hostage torture traffic smuggle cartel gang",
    "protest": "protest rally march demonstrate demonstration strike sit-in riot disperse",
    "strategic": "arrest detain deploy deployment withdraw withdrawal agree agreement ceasefire truce deal sign "
                 "loot torch vandalise vandalize defuse intercept foil thwart establish curfew evacuate "
                 "recruit mobilise mobilize swap exchange",
    "disaster": "flood earthquake quake cyclone storm landslide drought wildfire fire outbreak epidemic crash "
                "derail collapse spill leak capsize sink typhoon hurricane eruption",
    "diplomacy": "condemn sanction summit talk visit meet expel recall summon denounce responsibility blame",
}.items():
    for _lemma in _lemmas.split():
        TRIGGERS.setdefault(_lemma, _family)

# Lemmas that are triggers only as verbs (as nouns they name things, not events).
VERB_ONLY = frozenset({"drive", "sign", "establish", "exchange", "meet", "talk", "storm"})

WEAPONS: tuple[str, ...] = (
    "glide bombs", "glide bomb", "barrel bombs", "barrel bomb", "cluster munitions", "ballistic missiles",
    "ballistic missile", "cruise missiles", "cruise missile", "artillery", "mortars", "mortar", "rockets",
    "rocket", "missiles", "missile", "drones", "drone", "airstrikes", "airstrike", "air strikes", "air strike",
    "warplanes", "helicopters", "grenades", "grenade", "landmines", "landmine", "roadside bomb", "car bomb",
    "IEDs", "IED", "improvised explosive device", "suicide vest", "explosives", "machetes", "machete",
    "knives", "knife", "rifles", "guns", "gunfire", "live ammunition", "tear gas", "water cannon",
    "rubber bullets", "chlorine", "sarin", "mustard gas", "shells", "tanks",
)

SECTORS: dict[str, str] = {}
for _sector, _words in {
    "military": "troops troop army armies soldier soldiers forces military militaries marines navy airforce "
                "commandos battalion brigade units unit division regiment peacekeepers guards",
    "police": "police policemen officers gendarmerie gendarmes",
    "rebels": "rebels rebel militants militant insurgents insurgent fighters jihadists guerrillas gunmen "
              "militia militias militiamen separatists terrorists bandits extremists attackers assailants",
    "civilians": "civilians civilian people residents villagers farmers worshippers passengers students "
                 "children women men family families workers journalists "
                 "area areas city town village school hospital market",
    "government": "government ministry minister president administration authorities officials official "
                  "governor kremlin pentagon council parliament leader leaders diplomats envoy presidents ministers "
                  "governors",
    "protesters": "protesters protester demonstrators demonstrator marchers strikers",
    "criminals": "cartel gang gangs smugglers traffickers kidnappers robbers",
}.items():
    for _word in _words.split():
        SECTORS.setdefault(_word, _sector)

# Country adjectives (and a few capitals used as metonyms) -> ISO 3166 alpha-2.
COUNTRY_WORDS: dict[str, str] = {
    "ukrainian": "UA", "ukraine": "UA", "kyiv": "UA", "russian": "RU", "russia": "RU", "moscow": "RU",
    "kremlin": "RU", "north korean": "KP", "north korea": "KP", "pyongyang": "KP", "south korean": "KR",
    "south korea": "KR", "seoul": "KR", "american": "US", "us": "US", "u.s.": "US", "united states": "US",
    "washington": "US", "pentagon": "US", "syrian": "SY", "syria": "SY", "iraqi": "IQ", "iraq": "IQ",
    "afghan": "AF", "afghanistan": "AF", "nigerian": "NG", "nigeria": "NG", "somali": "SO", "somalia": "SO",
    "yemeni": "YE", "yemen": "YE", "israeli": "IL", "israel": "IL", "palestinian": "PS", "pakistani": "PK",
    "pakistan": "PK", "indian": "IN", "india": "IN", "malian": "ML", "mali": "ML", "congolese": "CD",
    "ethiopian": "ET", "ethiopia": "ET", "sudanese": "SD", "sudan": "SD", "libyan": "LY", "libya": "LY",
    "turkish": "TR", "turkey": "TR", "colombian": "CO", "colombia": "CO", "mexican": "MX", "mexico": "MX",
    "filipino": "PH", "philippine": "PH", "burmese": "MM", "myanmar": "MM", "kenyan": "KE", "kenya": "KE",
    "iranian": "IR", "iran": "IR", "chinese": "CN", "china": "CN", "beijing": "CN", "japanese": "JP",
    "japan": "JP", "french": "FR", "france": "FR", "british": "GB", "uk": "GB", "german": "DE",
    "germany": "DE", "lebanese": "LB", "lebanon": "LB", "egyptian": "EG", "egypt": "EG", "saudi": "SA",
    "cameroonian": "CM", "burkinabe": "BF", "nigerien": "NE", "chadian": "TD", "belarusian": "BY",
    "georgian": "GE", "armenian": "AM", "azerbaijani": "AZ", "venezuelan": "VE", "brazilian": "BR",
}
