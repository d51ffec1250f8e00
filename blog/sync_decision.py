"""The rule a sync applies to every post and page file: write it, skip it, or keep an edit.

Shared by blog/content.py (posts) and blog/page_content.py (pages), so both follow one
rule: a new file is created; a file whose hash is the one last synced is skipped without
loading its record; a record edited in the admin since its last sync is kept unless
`--force`; a changed file whose content equals the record only has its hash noted; any
other is written.
"""


def slugs_to_load(sources, stored_hashes: dict[str, str], force: bool) -> list[str]:
    """The records worth loading whole: those whose file changed (or all, with force)."""
    return [
        source.slug
        for source in sources
        if source.slug in stored_hashes
        and (force or stored_hashes[source.slug] != source.file_hash)
    ]


def should_write(record, source, stored_hashes: dict[str, str], force: bool, report) -> bool:
    """Decide for one file, noting the outcome in `report`'s lists; True means write it.
    `record` is the loaded row (None when it is new or was not loaded)."""
    if source.slug not in stored_hashes:
        report.created.append(source.slug)
        return True
    if record is None:  # its file is the one last synced, so it was not loaded
        report.unchanged.append(source.slug)
        return False
    if record.content_fingerprint() != record.synced_fingerprint and not force:
        report.kept_admin_edits.append(source.slug)
        return False
    if record.content_fingerprint() == source.fingerprint():
        record.source_hash = source.file_hash
        record.synced_fingerprint = record.content_fingerprint()
        record.save(update_fields=["source_hash", "synced_fingerprint"])
        report.unchanged.append(source.slug)
        return False
    report.updated.append(source.slug)
    return True
