"""The Label Studio round trip: a labeling interface and instructions generated from
the label inventories, a pre-annotated task per (document, view), a lossless import of
Label Studio's JSON export into the draft, and ``push`` / ``pull`` against a running
server.

The views (``names.VIEWS``): ``entities`` (mentions, their kinds and entities),
``events`` (triggers, realis, polarity, argument relations; the mentions shown read
only) and ``quotes`` (contents, kinds, cues, cue and speaker relations; the mentions
shown read only). Each view is the authority for its layers (``names.VIEW_LAYERS``);
the import merges a document's views (``reader.merge_views``). A task of format /1
(one task with every layer, coreference as ``coref`` relations) is the view ``all``.

How the corpus model maps onto Label Studio (see also docs/annotators.md):

=======================  ===========================================================
corpus                   Label Studio
=======================  ===========================================================
document text            ``<Text name="text" value="$text"/>``; task data also holds
                         ``document_id`` and the ``newscorpus`` block (below)
mention                  a region of ``<Labels name="mention">`` (label = entity
                         type), region id = mention id; its kind in the per-region
                         ``<Choices name="mention_kind">``
entity (coreference)     the per-region ``<Choices name="entity">`` of each mention
                         (``eN: name (TYPE)`` from the task's ``entity_choices``, or
                         ``new entity N``): mentions with one choice are one entity;
                         in the view ``all``, mentions linked by ``coref`` relations;
                         ids and canonical names are kept
event                    a region of ``<Labels name="event">`` (label = event type),
                         region id = event id; ``<Choices name="realis">`` and
                         ``<Choices name="polarity">`` per region
event argument           a relation between the trigger and the mention, labelled
                         with the role
quote                    a ``content`` region of ``<Labels name="quote">``, region id
                         = quote id, ``<Choices name="quote_kind">`` per region
quote cue                a ``cue`` region of ``<Labels name="quote">`` linked to the
                         content by a ``cue`` relation (quotes sharing one cue share
                         one region)
quote speaker            a ``speaker`` relation between the content and a mention
=======================  ===========================================================

Relations are read without regard to their direction: the kinds of the two regions say
which end is which. A relation without a label is read as ``speaker`` between a quote
and a mention, ``cue`` between a quote and a cue, and (view ``all`` only) ``coref``
between two mentions.

Ids handed out are recorded in the id register ``annotations/ids.json``
(``store.idregister``) and never given again.

The task data block ``data.newscorpus`` carries what a lossless import needs: the
format, document id, text sha256, the source version, the inventory's sha256 and the
exported annotations themselves (``source``: every annotation with its provenance,
entities with their ids and canonical names). An import compares what Label Studio
returns with that source: an annotation whose content did not change keeps its
provenance; a changed or new one gets the Label Studio annotator and time.

Several annotations on one task: the most recently updated annotation that was not
cancelled (skipped) wins; the others are reported and ignored. A task with no such
annotation has nothing to import. With ``--passes`` (``passes``) every annotator's
annotation is kept instead, as an annotation pass of its own under
``annotations/passes/<pseudonym>/``, for ``newscorpus agreement`` and ``newscorpus
adjudicate``; the draft is left alone.

``suggest`` pre-annotates documents without annotations with the names the corpus knows,
as predictions (``model_version`` ``newscorpus-names-<release>``).

Named checks of the import: the rows of ``newscorpus.rules.checks`` with scope
``labelstudio`` (docs/checks.md), and every annotation-file check of the validator,
which runs on the result before anything is written.

The wing's modules: ``names`` (the names they share), ``config`` (the labeling config),
``tasks`` (the export), ``offsets`` (where a region really is), ``reader`` (one task's
annotation read back), ``importer`` (the import into the draft), ``passes`` (the import of every
annotator's annotation as a pass), ``suggest`` (names the corpus knows, found in new
articles) and ``sync`` (push, pull and suggest against a server). This module re-exports the wing's public interface.
"""
from __future__ import annotations

from newscorpus.labelstudio.config import labeling_config
from newscorpus.labelstudio.importer import import_file
from newscorpus.labelstudio.names import (CONTENT, CUE, DEFAULT_PROJECT_TITLE, DEFAULT_URL, EVENT, MENTION,
                                          MENTION_KIND, POLARITY, QUOTE, QUOTE_KIND, REALIS, TOKEN_ENV)
from newscorpus.labelstudio.passes import import_passes_file
from newscorpus.labelstudio.suggest import write_suggestions
from newscorpus.labelstudio.sync import pull, push, push_suggestions
from newscorpus.labelstudio.tasks import export_tasks, write_tasks

__all__ = ["CONTENT", "CUE", "DEFAULT_PROJECT_TITLE", "DEFAULT_URL", "EVENT", "MENTION", "MENTION_KIND",
           "POLARITY", "QUOTE", "QUOTE_KIND", "REALIS", "TOKEN_ENV", "export_tasks", "write_tasks", "import_file",
           "labeling_config", "pull", "push", "import_passes_file", "push_suggestions", "write_suggestions"]
