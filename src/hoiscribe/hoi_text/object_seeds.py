"""Hand-reviewed seeds about the 80 objects' kinds: COCO supercategories, near misses, object parts.

Why apart from :mod:`hoiscribe.hoi_text.lexicon_seeds`: these say what a noun that is not one of
the 80 objects means for a claim (another thing of the same kind, or a part of some objects);
:mod:`hoiscribe.hoi_text.lexicon_build` writes them into ``hoi_objects.json``.
Sources: the COCO annotation's supercategories; the near misses and parts are this team's.
"""

from __future__ import annotations

# COCO supercategories of the 80 objects (the COCO annotation's own grouping)
SUPERCATEGORIES: dict[str, tuple[str, ...]] = {
    "person": ("person",),
    "vehicle": ("bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat"),
    "outdoor": ("traffic light", "fire hydrant", "stop sign", "parking meter", "bench"),
    "animal": ("bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe"),
    "accessory": ("backpack", "umbrella", "handbag", "tie", "suitcase"),
    "sports": ("frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard",
               "surfboard", "tennis racket"),
    "kitchen": ("bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl"),
    "food": ("banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake"),
    "furniture": ("chair", "couch", "potted plant", "bed", "dining table", "toilet"),
    "electronic": ("tv", "laptop", "mouse", "remote", "keyboard", "cell phone"),
    "appliance": ("microwave", "oven", "toaster", "sink", "refrigerator"),
    "indoor": ("book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush"),
}  # fmt: skip

# Near misses (CHAIR-style, the other way round): whole things of a supercategory that are NOT any of the
# 80 objects. Naming one as what the person acts on, in a text that never names the pair's own object of
# that supercategory, is a wrong object ("rides a camel" for a horse). Parts, accessories of an object
# (reins, leash, line) and ambiguous words are left out.
NEAR_MISSES: dict[str, tuple[str, ...]] = {
    "animal": ("camel", "donkey", "mule", "goat", "pig", "deer", "llama", "alpaca", "ostrich", "rabbit", "lion",
               "tiger", "monkey", "kangaroo", "wolf", "buffalo", "bison", "yak", "reindeer", "moose", "turtle",
               "snake", "dolphin", "goose", "swan", "peacock", "hamster", "guinea pig", "ferret", "rhino",
               "hippo", "leopard", "cheetah", "squirrel"),
    "vehicle": ("tractor", "wagon", "carriage", "cart", "golf cart", "shopping cart", "wheelchair", "stroller",
                "pram", "sled", "sledge", "tricycle", "unicycle", "segway", "rickshaw", "forklift", "bulldozer",
                "helicopter", "paddleboard", "jet ski", "snowmobile", "quad bike", "go-kart"),
    "accessory": ("scarf", "shawl", "briefcase", "wallet", "basket", "fanny pack", "jet pack", "guitar case",
                  "violin case", "cello case", "instrument case", "camera bag"),
    "sports": ("puck", "hockey stick", "golf club", "shuttlecock", "badminton racket", "javelin", "dumbbell",
               "barbell", "sled", "bodyboard", "wakeboard", "hula hoop", "boomerang", "paddleboard",
               # things of a sport that are none of the 80 ("roller skates" for a skateboard, "cricket bat")
               "roller skates", "rollerblades", "inline skates", "ice skates", "snowshoes", "kneeboard",
               "skimboard", "boogie board", "cricket bat", "squash racket", "ping pong paddle",
               "table tennis paddle", "lacrosse stick", "frisbee golf disc"),
    "kitchen": ("jug", "thermos", "kettle", "teapot", "chopsticks", "spatula", "tongs", "plate",
                "tray", "soda can", "tin can", "can of soda", "can of beer", "can of cola", "six pack"),
    "food": ("pear", "peach", "lemon", "lime", "grapes", "watermelon", "melon", "pineapple", "strawberry",
             "cookie", "biscuit", "muffin", "bagel", "croissant", "burrito", "taco", "ice cream", "popsicle",
             "lollipop", "candy", "cucumber", "potato", "tomato", "corn", "lettuce", "pie", "waffle", "pancake",
             "parsnip", "turnip", "radish", "beetroot", "zucchini", "courgette", "eggplant", "aubergine", "onion",
             "leek", "celery", "cabbage", "cauliflower", "pumpkin", "avocado", "mango", "kiwi", "plum", "apricot",
             "coconut", "papaya"),
    "furniture": ("ottoman", "hammock", "recliner"),
    "electronic": ("tablet", "ipad", "radio", "game console", "joystick", "calculator", "e-reader", "kindle",
                   "smartwatch"),
    "appliance": ("dishwasher", "washing machine", "blender", "kettle", "stove top", "grill", "coffee machine",
                  "coffee maker", "espresso machine", "water cooler"),
    "indoor": ("hairbrush", "comb", "razor", "pen", "pencil", "paintbrush", "hammer", "screwdriver", "wrench",
               "saw", "axe", "shovel", "rake", "broom", "mop", "lamp", "doll", "magazine rack", "newspaper",
               "menu", "brochure", "leaflet", "map", "ice pack", "pack of cards", "pack of cigarettes",
               "battery pack"),
}  # fmt: skip

# Parts that belong to some of the 80 objects only: "the handlebars" names a bicycle or a motorcycle, so a
# claim about them is a claim about that object ("looking at the screen" is about a tv, laptop or phone,
# not about the couch). Parts any object may have (seat, handle, edge, top, strap) are left out.
PARTS_OF: dict[str, tuple[str, ...]] = {
    "handlebar": ("bicycle", "motorcycle"),
    "pedal": ("bicycle",),
    "saddle": ("bicycle", "motorcycle", "horse"),
    "rein": ("horse",),
    "bridle": ("horse",),
    "mane": ("horse", "zebra"),
    "stirrup": ("horse",),
    "leash": ("dog", "cat", "horse"),
    "screen": ("tv", "laptop", "cell phone"),
    "touchscreen": ("cell phone", "laptop"),
    "bristle": ("toothbrush",),
    "sail": ("boat",),
    "tiller": ("boat",),
    "gunwale": ("boat",),
    "hull": ("boat",),
    "oar": ("boat",),
    "throttle": ("motorcycle",),
    "kickstand": ("bicycle", "motorcycle"),
    "udder": ("cow",),
    "fleece": ("sheep",),
    "wool": ("sheep",),
    "trunk": ("elephant", "car"),
    "page": ("book",),
    "binding": ("skis", "snowboard"),
    "kite string": ("kite",),
    "crust": ("pizza", "sandwich", "cake"),
    "candle": ("cake",),
    "icing": ("cake", "donut"),
    "blade": ("knife", "scissors", "skis"),
    "dashboard": ("car", "bus", "truck"),
    "windshield": ("car", "bus", "truck"),
    "windscreen": ("car", "bus", "truck"),
}  # fmt: skip
