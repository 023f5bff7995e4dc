"""A stand-in auditor for the batch tests: slow or fatal on cue, otherwise the real one (lexicon only)."""
import os
import time


class CueAuditor:
    def __init__(self):
        from pipeline import Auditor

        self.auditor = Auditor(model=None)

    def audit_document(self, document):
        if "睡很久" in document.text:
            time.sleep(60)
        if "崩溃" in document.text:
            os._exit(3)
        return self.auditor.audit_document(document)
