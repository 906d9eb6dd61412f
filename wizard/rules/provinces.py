"""The 31 provinces in the order Persian dropdowns use (sorted() gets چ ک گ ی wrong)."""

PROVINCES: tuple[tuple[str, str], ...] = (
    ("آذربایجان شرقی", "East Azerbaijan"),
    ("آذربایجان غربی", "West Azerbaijan"),
    ("اردبیل", "Ardabil"),
    ("اصفهان", "Isfahan"),
    ("البرز", "Alborz"),
    ("ایلام", "Ilam"),
    ("بوشهر", "Bushehr"),
    ("تهران", "Tehran"),
    ("چهارمحال و بختیاری", "Chaharmahal and Bakhtiari"),
    ("خراسان جنوبی", "South Khorasan"),
    ("خراسان رضوی", "Razavi Khorasan"),
    ("خراسان شمالی", "North Khorasan"),
    ("خوزستان", "Khuzestan"),
    ("زنجان", "Zanjan"),
    ("سمنان", "Semnan"),
    ("سیستان و بلوچستان", "Sistan and Baluchestan"),
    ("فارس", "Fars"),
    ("قزوین", "Qazvin"),
    ("قم", "Qom"),
    ("کردستان", "Kurdistan"),
    ("کرمان", "Kerman"),
    ("کرمانشاه", "Kermanshah"),
    ("کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad"),
    ("گلستان", "Golestan"),
    ("گیلان", "Gilan"),
    ("لرستان", "Lorestan"),
    ("مازندران", "Mazandaran"),
    ("مرکزی", "Markazi"),
    ("هرمزگان", "Hormozgan"),
    ("همدان", "Hamadan"),
    ("یزد", "Yazd"),
)

PROVINCE_NAMES: frozenset[str] = frozenset(fa for fa, _ in PROVINCES)
ENGLISH_NAMES: dict[str, str] = dict(PROVINCES)
_ORDER = {fa: index for index, (fa, _en) in enumerate(PROVINCES)}


def province_order(name: str) -> int:
    """Dropdown order of the provinces (Persian alphabetical order is not code-point order)."""
    return _ORDER.get(name, len(_ORDER))
