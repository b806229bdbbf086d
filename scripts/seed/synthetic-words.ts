// biome-ignore-all format: compact word lists read better than one word per line
// Word lists for synthetic search documents that read like a real ticketing catalog: a few famous
// acts play far more often than the long tail, names repeat across tour dates, and a headline tour
// has look-alike distractors ("Taylor Swift Tribute Night") so relevance is actually tested.

const first = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Mia", "Mateo", "Isla", "Leo",
  "Zoe", "Kai", "Nora", "Ezra", "Maya", "Jonah", "Ruby", "Felix", "Aria", "Miles", "Hazel", "Jasper",
  "Ivy", "Oscar", "Luna", "Theo", "Stella", "Hugo", "Clara", "Arlo", "Willow", "Silas", "Freya", "Otis",
  "Lena", "Rafael", "Nina", "Dante", "Taylor", "Tyler", "Jordan", "Casey", "Morgan", "Riley", "Avery",
  "Harper", "Quinn", "Rowan", "Sage", "Elliot", "Marisol", "Ines", "Yuki", "Anika", "Kofi", "Amara",
  "Soren", "Greta",
];
const last = [
  "Carter", "Nguyen", "Rivera", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Kowalski", "Haddad", "Fischer",
  "Romero", "Sato", "Bennett", "Dubois", "Costa", "Novak", "Ibrahim", "Larsen", "Walsh", "Hughes", "Brooks",
  "Vega", "Kim", "Park", "Silva", "Rossi", "Quinn", "Reyes", "Stone", "Hart", "Swiftwater", "Sweeney",
  "Mendoza", "Oyelaran", "Petrov", "Holm", "Adeyemi", "Castillo", "Lowell", "Ferreira", "Abbott", "Marsh",
  "Delacroix", "Yamamoto", "Osei", "Kaplan", "Bishop", "Navarro", "Whitlock", "Achterberg", "Byrne",
  "Lachance", "Moretti", "Sorensen", "Takahashi", "Eriksen", "Valdez", "Harlow", "Pemberton", "Wilde",
];
const adjectives = [
  "Midnight", "Electric", "Silver", "Velvet", "Neon", "Golden", "Wild", "Broken", "Crystal", "Lunar",
  "Paper", "Iron", "Cosmic", "Hollow", "Scarlet", "Quiet", "Northern", "Restless", "Atomic", "Wandering",
  "Crimson", "Hidden", "Burning", "Frozen", "Savage", "Gentle", "Static", "Sonic", "Faded", "Rusty",
  "Emerald", "Dusty", "Lucky", "Mighty", "Rebel", "Stray", "Twisted", "Violet", "Wicked", "Young",
];
const nouns = [
  "Comets", "Wolves", "Hearts", "Rivers", "Tigers", "Echoes", "Ghosts", "Lanterns", "Horizons", "Foxes",
  "Satellites", "Ravens", "Shadows", "Pilots", "Giants", "Sparrows", "Machines", "Saints", "Dreamers",
  "Owls", "Kids", "Strangers", "Orchids", "Vultures", "Cowboys", "Sirens", "Monarchs", "Drifters",
  "Arrows", "Embers", "Thieves", "Mirrors", "Prophets", "Wanderers", "Hounds", "Rockets", "Outlaws",
  "Parade", "Canyons", "Tides",
];
const teams = [
  "Falcons", "Bears", "Knights", "Rangers", "Storm", "Kings", "Royals", "Thunder", "Lightning", "Sharks",
  "Mustangs", "Titans", "Hawks", "Rockets", "United", "Rovers",
];
export const cities: [string, string][] = [
  ["New York", "US"], ["Los Angeles", "US"], ["Chicago", "US"], ["Houston", "US"], ["Phoenix", "US"],
  ["Philadelphia", "US"], ["San Antonio", "US"], ["San Diego", "US"], ["Dallas", "US"], ["Austin", "US"],
  ["Nashville", "US"], ["Denver", "US"], ["Seattle", "US"], ["Boston", "US"], ["Atlanta", "US"],
  ["Miami", "US"], ["Las Vegas", "US"], ["New Orleans", "US"], ["Minneapolis", "US"], ["Detroit", "US"],
  ["Toronto", "CA"], ["Vancouver", "CA"], ["Montreal", "CA"], ["Mexico City", "MX"], ["London", "GB"],
  ["Manchester", "GB"], ["Glasgow", "GB"], ["Dublin", "IE"], ["Paris", "FR"], ["Lyon", "FR"],
  ["Berlin", "DE"], ["Munich", "DE"], ["Hamburg", "DE"], ["Amsterdam", "NL"], ["Brussels", "BE"],
  ["Madrid", "ES"], ["Barcelona", "ES"], ["Lisbon", "PT"], ["Rome", "IT"], ["Milan", "IT"],
  ["Vienna", "AT"], ["Zurich", "CH"], ["Stockholm", "SE"], ["Copenhagen", "DK"], ["Oslo", "NO"],
  ["Warsaw", "PL"], ["Prague", "CZ"], ["Tokyo", "JP"], ["Osaka", "JP"], ["Seoul", "KR"], ["Singapore", "SG"],
  ["Sydney", "AU"], ["Melbourne", "AU"], ["Auckland", "NZ"], ["São Paulo", "BR"], ["Buenos Aires", "AR"],
];
const venueKinds = [
  "Arena", "Center", "Coliseum", "Forum", "Dome", "Pavilion", "Garden", "Stadium", "Field", "Bowl",
  "Orpheum", "Palace Theatre", "Apollo", "Majestic", "Lyric Theatre", "Symphony Hall", "Opera House",
  "Playhouse", "Velvet Room", "Blue Note", "Echo Lounge", "Roxy", "Ballroom", "Troubadour", "Fillmore",
];
const sponsors = [
  "Crypto", "Mercury", "Summit", "Northwind", "Bluebird", "Capital", "Pinnacle", "Harbor", "Evergreen",
  "Atlas", "Liberty", "Zenith", "Union", "Grand", "Royal", "Metro",
];
export const tourWords = [
  "World Tour", "Live", "Arena Tour", "Summer Tour", "Farewell Tour", "Unplugged", "In Concert",
  "Reunion Tour", "Anniversary Tour", "Acoustic Evening", "Greatest Hits Tour", "Homecoming",
];
export const comedyTitles = ["Stand-Up Night", "Comedy Hour", "Live & Unfiltered", "The Laugh Tour"];
export const theaterShows = [
  "Hamilton", "The Lion King", "Wicked", "Les Misérables", "The Phantom of the Opera", "Chicago",
  "Moulin Rouge!", "Mamma Mia!", "Swan Lake", "The Nutcracker", "A Midsummer Night's Dream", "Macbeth",
  "Hamilton Tribute Night", "Dear Evan Hansen", "Cats", "Rent", "Cabaret", "Hadestown", "Giselle", "Carmen",
];
export const familyShows = [
  "Disney On Ice", "Cirque du Soleil: Alegría", "Monster Jam", "Paw Patrol Live", "Harlem Globetrotters",
  "Sesame Street Live", "Bluey's Big Play", "Jurassic World Live", "Peppa Pig Live", "Marvel Universe Live",
];
export const sentences: Record<string, string[]> = {
  concert: [
    "An unforgettable night of live music with a full production and special guests.",
    "Expect the hits, deep cuts and a stage show built for the big room.",
    "Doors open one hour before show time. All ages welcome; under 16 with an adult.",
    "The band plays its acclaimed new album in full, followed by an encore of fan favourites.",
    "A rare intimate show with stripped-back arrangements and stories behind the songs.",
    "Support acts to be announced. Floor is standing only.",
    "VIP packages include early entry, a signed poster and merchandise.",
    "Celebrating twenty years of records that defined a generation.",
  ],
  sports: [
    "Regular-season matchup. Arrive early for warm-ups.",
    "Playoff race heats up in a rivalry game fans circle every year.",
    "Season opener with a pre-game ceremony and fireworks.",
    "Family zone, food trucks and a post-game autograph session.",
  ],
  comedy: [
    "A night of sharp, brand-new material. Recommended for ages 18+.",
    "Taped live for an upcoming special.",
    "Phones are locked in pouches for the whole show.",
  ],
  theater: [
    "The award-winning production returns for a limited engagement.",
    "A bold new staging of a classic, with live orchestra.",
    "Running time two hours and forty minutes including one interval.",
  ],
  family: [
    "Fun for the whole family, with a pre-show meet and greet.",
    "A spectacular show for kids and grown-ups alike.",
    "Sensory-friendly performance with reduced sound and lighting.",
  ],
};

function personNames(): string[] {
  const out: string[] = [];
  // Stride through the product so neighbouring entries differ in both names.
  for (let i = 0; i < first.length * last.length; i++) {
    out.push(`${first[i % first.length]} ${last[(i * 7 + Math.floor(i / first.length)) % last.length]}`);
  }
  return [...new Set(out)];
}

function bandNames(): string[] {
  const out: string[] = [];
  for (let i = 0; i < adjectives.length * nouns.length; i++) {
    const name = `${adjectives[i % adjectives.length]} ${nouns[(i * 3 + Math.floor(i / adjectives.length)) % nouns.length]}`;
    out.push(i % 2 === 0 ? `The ${name}` : name);
  }
  return [...new Set(out)];
}

/** Performer pools per category, most frequent first (the generator skews towards the front). */
export function performerPools() {
  const persons = personNames();
  const bands = bandNames();
  const concert: string[] = [];
  for (let i = 0; i < Math.max(bands.length, 2400); i++) {
    if (i < 2400 && persons[i]) concert.push(persons[i] as string);
    if (bands[i]) concert.push(bands[i] as string);
  }
  const sports = cities.flatMap(([city]) => teams.map((t) => `${city} ${t}`));
  return { concert, sports, comedy: persons.slice(2400), theater: theaterShows, family: familyShows };
}

export function venues(): { name: string; city: string; country: string }[] {
  const out: { name: string; city: string; country: string }[] = [];
  for (const [i, [city, country]] of cities.entries()) {
    for (let k = 0; k < 10; k++) {
      const kind = venueKinds[(i * 5 + k * 3) % venueKinds.length] as string;
      const sponsor = sponsors[(i + k * 7) % sponsors.length] as string;
      out.push({ name: k % 3 === 0 ? `${city} ${kind}` : `${sponsor} ${kind}`, city, country });
    }
  }
  return out;
}
