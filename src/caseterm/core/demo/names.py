"""Name pools for demo people and staff: UK-style, with the apostrophes, hyphens and accents
real records carry, grouped by the language the person speaks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    language: str
    weight: int  # share of people, out of the total of all weights
    interpreter_share: float  # of this culture's people, how many need an interpreter
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]


def _split(names: str) -> tuple[str, ...]:
    """A pool written as one comma-separated string (names may hold spaces and apostrophes)."""
    return tuple(name.strip() for name in names.split(","))


BRITISH = Culture(
    "English",
    780,
    0.0,
    _split(
        "James, John, David, Michael, Paul, Mark, Daniel, Thomas, Liam, Connor, Jack, Ryan, "
        "Kyle, Callum, Jordan, Nathan, Lewis, Gary, Stephen, Craig, Dean, Lee, Wayne, Darren, "
        "Shane, Harry, Alfie, Oliver, George, Samuel, Seán, Eóin, Declan, Kieran, Rhys, "
        "Dylan, Jamal, Tyrone, Marcus, Andre, Peter, Ian, Keith, Anthony, Joseph"
    ),
    _split(
        "Sarah, Emma, Laura, Gemma, Kelly, Nicola, Claire, Rachel, Amy, Jessica, Chloé, Zoë, "
        "Siobhán, Niamh, Aoife, Bethany, Megan, Holly, Jade, Leanne, Stacey, Donna, Tracey, "
        "Karen, Susan, Margaret, Joanne, Renée, Charlotte, Olivia, Sophie, Lauren, Shannon, "
        "Keisha, Tanya, Hannah, Ellie, Lucy, Grace, Mary, Patricia, Ann, Danielle, Ruth"
    ),
    _split(
        "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, "
        "Thompson, Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Hughes, "
        "Edwards, Turner, Harrison, Cooper, Ward, Parker, Bennett, Holden, Ashworth, Whittle, "
        "Cartmell, Hesketh, Pickup, Duckworth, Nuttall, Entwistle, Sharples, Bamber, O'Neill, "
        "O'Brien, O'Connor, O'Sullivan, McCarthy, MacDonald, McLoughlin, D'Souza, D'Arcy, "
        "Smith-Jones, Taylor-Reid, Armstrong-Hughes, Fitzgerald, Ó Briain, Campbell, Stewart, "
        "Murray, Graham, Kerr, Thwaite, Hodgson, Dobson, Atkinson, Nelson, Francis, Bailey"
    ),
)

POLISH = Culture(
    "Polish",
    40,
    0.5,
    _split(
        "Łukasz, Piotr, Krzysztof, Tomasz, Paweł, Michał, Bartłomiej, Jakub, Grzegorz, Wojciech"
    ),
    _split(
        "Małgorzata, Agnieszka, Katarzyna, Joanna, Zofia, Aleksandra, Ewa, Magdalena, Dorota, Beata"
    ),
    _split(
        "Kowalski, Nowak, Wiśniewski, Wójcik, Kamiński, Lewandowski, Zieliński, Szymański, "
        "Łukasiewicz, Dąbrowski, Kowalczyk, Woźniak"
    ),
)

URDU = Culture(
    "Urdu",
    35,
    0.4,
    _split(
        "Mohammed, Muhammad, Imran, Asif, Tariq, Zahid, Bilal, Usman, Kamran, Shahid, Adnan, Faisal"
    ),
    _split("Ayesha, Fatima, Nazia, Shazia, Samina, Rukhsana, Nadia, Saima, Amina, Zainab"),
    _split("Khan, Hussain, Ahmed, Ali, Iqbal, Akhtar, Mahmood, Shah, Rashid, Begum, Bibi, Qureshi"),
)

PUNJABI = Culture(
    "Punjabi",
    15,
    0.35,
    _split("Gurpreet, Harjit, Manjit, Jaspal, Sukhdev, Amarjit, Rajinder"),
    _split("Harpreet, Manpreet, Jaswinder, Kulwinder, Simran, Navdeep"),
    _split("Singh, Kaur, Sandhu, Gill, Dhillon, Sidhu, Bains"),
)

GUJARATI = Culture(
    "Gujarati",
    15,
    0.3,
    _split("Rajesh, Suresh, Dinesh, Nilesh, Hitesh, Vijay, Anil"),
    _split("Priya, Nisha, Hema, Bhavna, Kiran, Meena, Asha"),
    _split("Patel, Mistry, Desai, Shah, Parmar, Chauhan, Solanki, Lad"),
)

ROMANIAN = Culture(
    "Romanian",
    25,
    0.55,
    _split("Ştefan, Andrei, Ionuț, Mihai, Alexandru, Florin, Constantin, Marius"),
    _split("Andreea, Ioana, Elena, Mădălina, Cristina, Gabriela, Simona"),
    _split(
        "Popescu, Ionescu, Popa, Dumitru, Stan, Stoica, Gheorghe, Rădulescu, Munteanu, "
        "Constantinescu"
    ),
)

PORTUGUESE = Culture(
    "Portuguese",
    15,
    0.45,
    _split("José, João, António, Luís, Tiago, Rui"),
    _split("María, Inês, Conceição, Ana, Joana, Beatriz"),
    _split("Nuñez, Gonçalves, Fernandes, Rodrigues, Sousa, Conceição, Pereira"),
)

CZECH = Culture(
    "Czech",
    10,
    0.5,
    _split("Jiří, Tomáš, Ondřej, Lukáš, Václav"),
    _split("Lenka, Jana, Kateřina, Tereza, Veronika"),
    _split("Dvořák, Novák, Svoboda, Černý, Procházka, Kučera, Horváth"),
)

LITHUANIAN = Culture(
    "Lithuanian",
    10,
    0.5,
    _split("Tomas, Mindaugas, Darius, Vytautas, Žydrūnas"),
    _split("Rūta, Agnė, Eglė, Jurgita, Inga"),
    _split("Kazlauskas, Jankauskas, Petrauskas, Stankevičius, Žukauskas"),
)

ARABIC = Culture(
    "Arabic",
    15,
    0.6,
    _split("Omar, Ahmad, Khalid, Yusuf, Hassan, Karim, Samir"),
    _split("Layla, Mariam, Huda, Rania, Noor, Salma"),
    _split("Al-Sayed, Haddad, Mansour, Abboud, El-Amin, Nasser, Saleh"),
)

BENGALI = Culture(
    "Bengali",
    10,
    0.4,
    _split("Abdul, Rahim, Jamal, Shafiq, Mizanur"),
    _split("Rahima, Shirin, Nasreen, Taslima, Rina"),
    _split("Miah, Uddin, Rahman, Chowdhury, Islam, Begum"),
)

WELSH = Culture(
    "Welsh",
    5,
    0.0,
    _split("Dafydd, Gwilym, Iwan, Rhodri, Aled"),
    _split("Ffion, Siân, Angharad, Bethan, Eleri"),
    _split("Pritchard, Llewellyn, ap Rhys, Price, Vaughan, Bowen"),
)

CULTURES: tuple[Culture, ...] = (
    BRITISH,
    POLISH,
    URDU,
    PUNJABI,
    GUJARATI,
    ROMANIAN,
    PORTUGUESE,
    CZECH,
    LITHUANIAN,
    ARABIC,
    BENGALI,
    WELSH,
)

TITLES_MALE = ("Mr", "Mr", "Mr", "", "Dr")
TITLES_FEMALE = ("Ms", "Mrs", "Miss", "Ms", "", "Dr")

# Nicknames and earlier surnames people are recorded under as aliases.
NICKNAMES = {
    "James": "Jim",
    "John": "Jack",
    "Michael": "Mick",
    "Daniel": "Danny",
    "Thomas": "Tom",
    "Stephen": "Steve",
    "Anthony": "Tony",
    "Joseph": "Joe",
    "Samuel": "Sam",
    "Peter": "Pete",
    "Margaret": "Maggie",
    "Patricia": "Trish",
    "Susan": "Sue",
    "Rebecca": "Becky",
    "Siobhán": "Shiv",
    "Katarzyna": "Kasia",
    "Małgorzata": "Gosia",
    "Łukasz": "Luke",
    "Mohammed": "Mo",
    "Muhammad": "Mo",
    "Aleksandra": "Ola",
    "Ştefan": "Steve",
}
STREET_NAMES = (
    "Church Street",
    "Fishergate",
    "Friargate",
    "Meadow Lane",
    "Garstang Road",
    "Blackpool Road",
    "Ribbleton Lane",
    "Deepdale Road",
    "Moor Lane",
    "Penny Street",
    "Scotforth Road",
    "Whalley Road",
    "Preston New Road",
    "Audley Range",
    "Botanic Road",
    "Warwick Road",
    "Botchergate",
    "London Road",
    "Station Road",
    "Victoria Road",
    "Queen's Road",
    "St Mary's Gate",
    "Ashton-on-Ribble Lane",
    "Acregate",
    "Eaves Lane",
)
# Office code -> (towns, postcode district prefix, landline area code).
AREAS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "PRE": (("Preston", "Chorley", "Leyland", "Fulwood", "Penwortham"), "PR", "01772"),
    "LAN": (("Lancaster", "Morecambe", "Heysham", "Carnforth", "Fleetwood"), "LA", "01524"),
    "BLB": (("Blackburn", "Darwen", "Accrington", "Great Harwood", "Clitheroe"), "BB", "01254"),
    "CAR": (("Carlisle", "Penrith", "Workington", "Brampton", "Wigton"), "CA", "01228"),
}

EMPLOYERS = (
    "a warehouse in Walton Summit",
    "Tesco on Deepdale",
    "a building site in Chorley",
    "the Royal Preston Hospital kitchens",
    "a call centre in Blackburn",
    "Morecambe Co-op",
    "a car wash on London Road",
    "his uncle's taxi firm",
    "an agency doing night shifts",
)

# Strings that try to break a terminal or a markup parser. They must come back exactly as
# stored (control characters aside, which the services strip and so does the demo).
HOSTILE_PEOPLE: tuple[tuple[str, str], ...] = (
    ("[bold]Robert", "Tables[/bold]"),
    ("[@click=app.quit]Quit", "Now"),
    ("Amelia", "Brackett [/"),
    ("محمد", "العلي"),
    ("Zoe\u0308", "Cafe\u0301-Nun\u0303ez"),
    ("Jo 🙂", "Smiley-Face 🚀"),
    ("Z̷a̷l̷g̷o̷", "Test\x1b[2J\x07"),
)
HOSTILE_NOTES: tuple[str, ...] = (
    "Client wrote [bold]URGENT[/bold] on the form; [@click=app.quit]click here[/] was in it.",
    "Note pasted from a web form: [/ and [link=https://example.org]link[/link] and \\[escaped].",
    "Said his name is written محمد العلي in Arabic script; prefers English letters.",
    "Very happy with the outcome 🙂👍 — thanked reception 🎉.",
    "Combining marks test: Zoe\u0308 / Cafe\u0301 / n\u0303 — and a Zalgo signature Z̷a̷l̷g̷o̷.",
    "Copied from a terminal: \x1b[31mred text\x1b[0m and a bell\x07 and \x1b]0;title\x07.",
)
