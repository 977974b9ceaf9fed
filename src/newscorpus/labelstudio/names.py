"""The names the Label Studio wing shares between its modules: the task data format,
the control names of the generated labeling interface, the relation labels and the
defaults of push / pull."""
from __future__ import annotations

FORMAT = "newscorpus-labelstudio/1"
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
CHOICE_CONTROLS = (MENTION_KIND, REALIS, POLARITY, QUOTE_KIND)
# which per-region attributes belong to which kind of region
ATTRIBUTES = {"mention": (MENTION_KIND,), "event": (REALIS, POLARITY), "content": (QUOTE_KIND,), "cue": ()}
