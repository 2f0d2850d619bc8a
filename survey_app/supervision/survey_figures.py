"""The survey-level figures of a questionnaire's results, read off grouped counts
(figures.survey_groups, the tallies' and the live ones added): by status, the funnel, the
stops before any answer, handle time by version and a row per operator. The groups are a
few thousand at most, whatever the number of surveys."""
from collections import Counter
from dataclasses import dataclass

from survey_app.supervision.figures import nearest_rank

COMPLETED, STOPPED = "completed", ("cancelled", "abandoned")


@dataclass
class SurveyFigures:
    groups: dict  # (version id, operator id, status, step, seconds) -> (surveys, backs)

    def statuses(self) -> Counter:
        found = Counter()
        for (_v, _o, status, _s, _t), (count, _b) in self.groups.items():
            found[status] += count
        return found

    def reached(self) -> list[tuple[int, int]]:
        """[(step, surveys that answered at it)], from 0: all started."""
        at_step = Counter()
        for (_v, _o, _status, step, _t), (count, _b) in self.groups.items():
            at_step[step] += count
        last = max(at_step, default=0)
        return [(step, sum(n for s, n in at_step.items() if s >= step))
                for step in range(0, last + 1)]

    def stopped_before_any_answer(self) -> int:
        return sum(count for (_v, _o, status, step, _t), (count, _b) in self.groups.items()
                   if status in STOPPED and step == 0)

    def _handle_times(self, by: int) -> dict[int, Counter]:
        """{version or operator id: {seconds: completed surveys}}."""
        found: dict[int, Counter] = {}
        for key, (count, _b) in self.groups.items():
            if key[2] == COMPLETED:
                found.setdefault(key[by], Counter())[key[4]] += count
        return found

    def by_version(self, numbers: dict[int, int]) -> list[tuple[int, int, dict]]:
        """[(version number, completed, {50, 90} seconds)], newest first."""
        rows = [(numbers[version], sum(times.values()), nearest_rank(times))
                for version, times in self._handle_times(0).items()]
        return sorted(rows, reverse=True)

    def per_operator(self, names: dict[int, tuple[str, str]]) -> list[tuple]:
        """[(name, surveys, completed, Back presses, median seconds)], by name; `names` maps
        an operator's id to (sort key, full name)."""
        totals: dict[int, list[int]] = {}
        for (_v, operator, status, _s, _t), (count, backs) in self.groups.items():
            row = totals.setdefault(operator, [0, 0, 0])
            row[0] += count
            row[1] += count if status == COMPLETED else 0
            row[2] += backs
        times = self._handle_times(1)
        rows = [(names[o][0], names[o][1], surveys, done, backs,
                 nearest_rank(times.get(o, {})).get(50))
                for o, (surveys, done, backs) in totals.items()]
        return [row[1:] for row in sorted(rows)]
