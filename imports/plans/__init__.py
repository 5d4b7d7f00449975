"""Plan import (issue 7): a plan's Word, PDF or text file read into a draft campaign.

extract   text out of .docx / .pdf / .txt / pasted text; bad files raise PlanFileError
text      normalisation: NFC, quotes, dashes, spacing, PDF line breaks undone
dates     dates and periods as plans write them
names     union names: abbreviations, header lines in capitals
parser    the structure of a Vietnamese administrative plan -> fields, source spans, flags;
          it reads into one PlanState (state), one module per part of the plan:
          header, sections, phases, duties (and targets), signature; patterns holds their words
highlight the source text with each found field marked
services  PlanImport creation and saving the checked draft through campaigns' services
"""
