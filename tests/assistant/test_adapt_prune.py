"""Old adapted encoder weights are deleted (assistant/adapt.py prune): each set is about
90 MB and every change to the knowledge base writes a new one."""

import os
import time

from civicdesk.assistant.adapt import prune


def make(folder, age_seconds):
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights")
    then = time.time() - age_seconds
    os.utime(folder, (then, then))
    return folder


def test_keeps_the_three_most_recent_weights_and_fresh_work_in_progress(tmp_path):
    weights = [make(tmp_path / f"adapted-{i}", age_seconds=i * 100) for i in range(5)]  # 0 is the newest
    fresh_tmp = make(tmp_path / ".adapting-now", age_seconds=60)
    crashed_tmp = make(tmp_path / ".adapting-crashed", age_seconds=2 * 3600)
    unrelated = make(tmp_path / "notes", age_seconds=10 * 3600)

    deleted = prune(tmp_path)

    assert sorted(p.name for p in deleted) == [".adapting-crashed", "adapted-3", "adapted-4"]
    assert [p.exists() for p in weights] == [True, True, True, False, False]
    assert fresh_tmp.exists() and not crashed_tmp.exists() and unrelated.exists()


def test_weights_loaded_recently_count_as_recent(tmp_path):
    old_but_in_use = make(tmp_path / "adapted-old", age_seconds=9000)
    for i in range(3):
        make(tmp_path / f"adapted-new{i}", age_seconds=100 + i)
    os.utime(old_but_in_use)  # what adapt() does when it loads cached weights
    prune(tmp_path)
    assert old_but_in_use.exists()
    assert not (tmp_path / "adapted-new2").exists()
