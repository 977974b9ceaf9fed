"""The names the Label Studio wing shares between its modules: the task data format,
the control names of the generated labeling interface, the relation labels and the
defaults of push / pull."""
from __future__ import annotations

FORMAT = "newscorpus-labelstudio/2"
# tasks of format /1 (one task per document, every layer, coreference as relations) are
# still read: their view is ALL
FORMATS = ("newscorpus-labelstudio/1", FORMAT)
MODEL_VERSION = "newscorpus"
TOOL = "Label Studio"
DEFAULT_URL = "http://localhost:8080"
DEFAULT_PROJECT_TITLE = "newscorpus"
TOKEN_ENV = "LABEL_STUDIO_API_KEY"

OBJECT = "text"
MENTION = "mention"
EVENT = "event"
QUOTE = "quote"
MENTION_KIND = "mention_kind"
REALIS = "realis"
POLARITY = "polarity"
QUOTE_KIND = "quote_kind"
CONTENT = "content"
CUE = "cue"
SPEAKER_REL = "speaker"
CUE_REL = "cue"
COREF_REL = "coref"
LABEL_CONTROLS = (MENTION, EVENT, QUOTE)
CHOICE_CONTROLS = (MENTION_KIND, REALIS, POLARITY, QUOTE_KIND, "entity")
# which per-region attributes belong to which kind of region
ATTRIBUTES = {"mention": (MENTION_KIND,), "event": (REALIS, POLARITY), "content": (QUOTE_KIND,), "cue": ()}
# the entity a mention belongs to: a per-region choice among the document's entities
# ("e12: name") or a new entity ("new entity 3"); optional (no choice: an entity of its own)
ENTITY = "entity"
NEW_ENTITY = "new entity "
NEW_ENTITY_CHOICES = 5
OPTIONAL_ATTRIBUTES = {"mention": (ENTITY,)}

# the views: one task per (document, view), each showing and editing one part of the
# annotations; a task of format /1 is the view ALL (every layer)
ENTITIES_VIEW, EVENTS_VIEW, QUOTES_VIEW, ALL = "entities", "events", "quotes", "all"
# the hidden classification choice that says which view a task is (pre-selected by the
# prediction; the interface shows each view its own labels); read back and ignored
VIEW = "view"
VIEWS = (ENTITIES_VIEW, EVENTS_VIEW, QUOTES_VIEW)
# the annotation layers each view is the authority for
VIEW_LAYERS = {ENTITIES_VIEW: ("entities", "mentions"), EVENTS_VIEW: ("events",), QUOTES_VIEW: ("quotes",),
               ALL: ("entities", "mentions", "events", "quotes")}
# the region kinds each view may hold (mentions are shown in every view: arguments and
# speakers point at them; they are changed in the entities view only)
VIEW_KINDS = {ENTITIES_VIEW: ("mention",), EVENTS_VIEW: ("event", "mention"),
              QUOTES_VIEW: ("content", "cue", "mention"), ALL: ("mention", "event", "content", "cue")}
VIEW_TITLES = {ENTITIES_VIEW: "Entities and coreference", EVENTS_VIEW: "Events and their arguments",
               QUOTES_VIEW: "Quotes, cues and speakers"}
