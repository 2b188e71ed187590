"""Rule-by-rule cases for the time-expression normaliser, on sentences written for these tests.

Each case: a sentence, the anchor (publication) date, the expression expected, its TIMEX3 type
and value. The anchor 2024-11-05 is a Tuesday.
"""

from __future__ import annotations

from datetime import date

import pytest

from tidings.timex import find_timexes

TUE = date(2024, 11, 5)  # Tuesday
JAN = date(2024, 1, 17)  # Wednesday
MAR = date(2013, 3, 22)  # Friday

CASES: list[tuple[str, date, str, str, str]] = [
    # bare weekdays in past-tense news: the latest such day on or before publication
    ("The mayor resigned on Saturday after the vote.", TUE, "Saturday", "DATE", "2024-11-02"),
    ("The ministry said Tuesday that the bridge was hit.", TUE, "Tuesday", "DATE", "2024-11-05"),
    ("Rescuers found two survivors Monday.", TUE, "Monday", "DATE", "2024-11-04"),
    ("A convoy was ambushed on Wednesday near the border.", TUE, "Wednesday", "DATE", "2024-10-30"),
    ("Protesters gathered on Sunday in the square.", TUE, "Sunday", "DATE", "2024-11-03"),
    ("Talks collapsed on Friday, officials said.", JAN, "Friday", "DATE", "2024-01-12"),
    ("The dam burst on Thursday.", MAR, "Thursday", "DATE", "2013-03-21"),
    # bare weekdays in future tense look forward
    ("The envoy will arrive on Friday for talks.", TUE, "Friday", "DATE", "2024-11-08"),
    ("The council is expected to vote on Thursday.", TUE, "Thursday", "DATE", "2024-11-07"),
    ("Leaders will meet again Monday.", TUE, "Monday", "DATE", "2024-11-11"),
    # weekday with a modifier
    ("The depot burned last Tuesday.", TUE, "last Tuesday", "DATE", "2024-10-29"),
    ("Voting resumes next Monday.", TUE, "next Monday", "DATE", "2024-11-11"),
    ("The court sits this Thursday.", TUE, "this Thursday", "DATE", "2024-11-07"),
    ("The strike began last Friday.", TUE, "last Friday", "DATE", "2024-11-01"),
    # weekday with a part of the day is a TIME
    ("A Tuesday morning blast shook the port.", TUE, "Tuesday morning", "TIME", "2024-11-05TMO"),
    ("Shelling resumed on Sunday night.", TUE, "Sunday night", "TIME", "2024-11-03TNI"),
    ("He spoke on Monday evening.", TUE, "Monday evening", "TIME", "2024-11-04TEV"),
    ("The fire started Saturday afternoon.", TUE, "Saturday afternoon", "TIME", "2024-11-02TAF"),
    # weekday with an explicit date
    ("The ceasefire began on Monday, Nov. 4, officials said.", TUE, "Monday, Nov. 4", "DATE", "2024-11-04"),
    ("It opened on Friday, 1 March 2013.", TUE, "Friday, 1 March 2013", "DATE", "2013-03-01"),
    # weekday names that are not dates
    ("She writes for the Sunday Times.", TUE, None, None, None),
    # months without a year
    ("Troops withdrew from the town in October.", TUE, "October", "DATE", "2024-10"),
    ("The census closed in March.", TUE, "March", "DATE", "2024-03"),
    ("The report is due to be published in December.", TUE, "December", "DATE", "2024-12"),
    ("Elections will be held in February.", TUE, "February", "DATE", "2025-02"),
    ("Funding ran out in November.", TUE, "November", "DATE", "2024-11"),
    ("Talks stalled in June.", JAN, "June", "DATE", "2023-06"),
    # "last/next/this" + month
    ("The summit took place last August.", JAN, "last August", "DATE", "2023-08"),
    ("The summit took place last August.", TUE, "last August", "DATE", "2024-08"),
    ("Prices rose last January.", JAN, "last January", "DATE", "2023-01"),
    ("The base will close next March.", TUE, "next March", "DATE", "2025-03"),
    ("The vote falls this December.", TUE, "this December", "DATE", "2024-12"),
    # a possessive month is the last one
    ("December's budget law cut aid.", JAN, "December", "DATE", "2023-12"),
    ("Under April's agreement, fees fell.", TUE, "April", "DATE", "2024-04"),
    # early / late / mid months
    ("In early October, rebels took the airport.", TUE, "early October", "DATE", "2024-10"),
    ("By late September the front had moved.", TUE, "late September", "DATE", "2024-09"),
    ("Fighting eased in mid-July.", TUE, "mid-July", "DATE", "2024-07"),
    ("The plan was drafted at the end of August.", TUE, "the end of August", "DATE", "2024-08"),
    # 'May' the month and 'may' the verb or the name
    ("The treaty was signed in May.", TUE, "May", "DATE", "2024-05"),
    ("Theresa May spoke to reporters.", TUE, None, None, None),
    ("May they rest in peace, the priest said.", TUE, None, None, None),
    # full dates
    ("The photo was taken on 04 November 2024 in the city.", TUE, "04 November 2024", "DATE", "2024-11-04"),
    ("The decree dated March 3, 2022 was annulled.", TUE, "March 3, 2022", "DATE", "2022-03-03"),
    ("Filed on Sept. 9, 2021, the suit was dismissed.", TUE, "Sept. 9, 2021", "DATE", "2021-09-09"),
    ("The record shows 2023-07-14 as the day of the raid.", TUE, "2023-07-14", "DATE", "2023-07-14"),
    ("The form was stamped 12/25/2019.", TUE, "12/25/2019", "DATE", "2019-12-25"),
    ("He was born on the 4th of July 1950.", TUE, "4th of July 1950", "DATE", "1950-07-04"),
    # month and day without a year
    ("The convoy left on October 28.", TUE, "October 28", "DATE", "2024-10-28"),
    ("The inquiry will report on December 12.", TUE, "December 12", "DATE", "2024-12-12"),
    ("The ship sank on 30 December.", JAN, "30 December", "DATE", "2023-12-30"),
    # month and year
    ("The mine closed in August 2019.", TUE, "August 2019", "DATE", "2019-08"),
    ("Exports fell sharply in early March 2020.", TUE, "early March 2020", "DATE", "2020-03"),
    # years
    ("The plant opened in 1987.", TUE, "1987", "DATE", "1987"),
    ("He lost the 2007 election.", TUE, "2007", "DATE", "2007"),
    ("Rates climbed in early 2011.", TUE, "early 2011", "DATE", "2011"),
    ("The new line opens in mid-2026.", TUE, "mid-2026", "DATE", "2026"),
    ("Costs will double by the end of 2030.", TUE, "the end of 2030", "DATE", "2030"),
    ("About 2000 troops were moved.", TUE, None, None, None),
    ("The army sent 1500 soldiers north.", TUE, None, None, None),
    # ranges
    ("The war from 1950 to 1953 left the land divided.", TUE, "1950", "DATE", "1950"),
    ("The war from 1950 to 1953 left the land divided.", TUE, "1953", "DATE", "1953"),
    ("The 1914-18 conflict changed the map.", TUE, "18", "DATE", "1918"),
    ("Between 2010 and 2012 the price doubled.", TUE, "2012", "DATE", "2012"),
    ("The work could take 12 to 18 months.", TUE, "12", "DURATION", "P12M"),
    ("The work could take 12 to 18 months.", TUE, "18 months", "DURATION", "P18M"),
    # decades and centuries
    ("The dispute goes back to the 1990s.", TUE, "1990s", "DATE", "199"),
    ("Housing was cheap in the '80s.", TUE, "'80s", "DATE", "198"),
    ("The fort was built in the 18th century.", TUE, "18th century", "DATE", "17"),
    ("It was the deadliest attack of the twenty-first century.", TUE, "twenty-first century", "DATE", "20"),
    # relative years, months, weeks, quarters
    ("Exports fell last year.", TUE, "last year", "DATE", "2023"),
    ("The factory will reopen next year.", TUE, "next year", "DATE", "2025"),
    ("This year the harvest failed.", TUE, "This year", "DATE", "2024"),
    ("Early this year, the board resigned.", MAR, "Early this year", "DATE", "2013"),
    ("The tariff took effect this month.", TUE, "this month", "DATE", "2024-11"),
    ("Inflation peaked last month.", JAN, "last month", "DATE", "2023-12"),
    ("Envoys meet next month.", TUE, "next month", "DATE", "2024-12"),
    ("Markets slid this week.", TUE, "this week", "DATE", "2024-W45"),
    ("The raid happened last week.", TUE, "last week", "DATE", "2024-W44"),
    ("The port reopens next week.", TUE, "next week", "DATE", "2024-W46"),
    ("Sales rose in the third quarter of 2012.", TUE, "the third quarter of 2012", "DATE", "2012-Q3"),
    ("Profits fell in the first quarter.", MAR, "the first quarter", "DATE", "2013-Q1"),
    ("Growth slowed last quarter.", TUE, "last quarter", "DATE", "2024-Q3"),
    # relative days
    ("The minister resigned yesterday.", TUE, "yesterday", "DATE", "2024-11-04"),
    ("Results are due tomorrow.", TUE, "tomorrow", "DATE", "2024-11-06"),
    ("Polls close today.", TUE, "today", "DATE", "2024-11-05"),
    ("Sirens sounded last night.", TUE, "last night", "TIME", "2024-11-04TNI"),
    ("The rally is planned for tonight.", TUE, "tonight", "TIME", "2024-11-05TNI"),
    ("A drone hit the depot this morning.", TUE, "this morning", "TIME", "2024-11-05TMO"),
    # ago
    ("She first ran six years ago.", MAR, "six years ago", "DATE", "2007"),
    ("The well was dug three days ago.", TUE, "three days ago", "DATE", "2024-11-02"),
    ("The bridge fell two months ago.", TUE, "two months ago", "DATE", "2024-09"),
    ("The deal was signed a year ago.", TUE, "a year ago", "DATE", "2023"),
    ("That was years ago.", TUE, "years ago", "DATE", "PAST_REF"),
    # durations
    ("Russia has held the initiative for the past year.", TUE, "the past year", "DURATION", "P1Y"),
    ("A three-month-old incursion changed the front.", TUE, "three-month-old", "DURATION", "P3M"),
    ("The war nears its 1,000-day mark.", TUE, "1,000-day", "DURATION", "P1000D"),
    ("The siege lasted eight years.", TUE, "eight years", "DURATION", "P8Y"),
    ("He held the post for almost seven years.", TUE, "almost seven years", "DURATION", "P7Y"),
    ("Crews worked for 36 hours without rest.", TUE, "36 hours", "DURATION", "PT36H"),
    ("An hour later the sirens stopped.", TUE, "An hour", "DURATION", "PT1H"),
    ("The talks lasted 45 minutes.", TUE, "45 minutes", "DURATION", "PT45M"),
    ("Rain fell for two weeks.", TUE, "two weeks", "DURATION", "P2W"),
    ("Over the next few months prices will climb.", TUE, "the next few months", "DURATION", "PXM"),
    ("In the following decade the town grew.", TUE, "the following decade", "DURATION", "P1DE"),
    ("The monthslong blockade ended.", TUE, "monthslong", "DURATION", "PXM"),
    ("They waited for days at the gate.", TUE, "days", "DURATION", "PXD"),
    ("A 24-hour curfew was imposed.", TUE, "24-hour", "DURATION", "PT24H"),
    ("The camp has stood for several decades.", TUE, "several decades", "DURATION", "PXDE"),
    ("He served a mere 18 months.", TUE, "a mere 18 months", "DURATION", "P18M"),
    ("The runner finished in 2:41:07.", TUE, "2:41:07", "DURATION", "PT2H41M7S"),
    ("Prices have risen in recent weeks.", TUE, "recent weeks", "DURATION", "PXW"),
    ("It took a fortnight to repair the line.", TUE, "a fortnight", "DURATION", "P2W"),
    ("The drought lasted two and a half years.", TUE, "a half years", "DURATION", "P6M"),
    # present, past and future references
    ("The region is now under curfew.", TUE, "now", "DATE", "PRESENT_REF"),
    ("He currently leads the party.", TUE, "currently", "DATE", "PRESENT_REF"),
    ("Units were recently moved east.", TUE, "recently", "DATE", "PAST_REF"),
    ("Such talks will matter in the future.", TUE, "the future", "DATE", "FUTURE_REF"),
    ("These days the market is quiet.", TUE, "These days", "DATE", "PRESENT_REF"),
    # seasons and holidays
    ("The offensive began last summer.", JAN, "last summer", "DATE", "2023-SU"),
    ("A new dam opens in spring 2026.", TUE, "spring 2026", "DATE", "2026-SP"),
    ("Troops pulled back this winter.", JAN, "this winter", "DATE", "2024-WI"),
    ("The truce held over Christmas.", JAN, "Christmas", "DATE", "2023-12-25"),
    # sets
    ("The agency spends billions annually.", TUE, "annually", "SET", "XXXX"),
    ("Patrols run every Monday.", TUE, "every Monday", "SET", "XXXX-WXX-1"),
    ("Aid trucks arrive twice a week.", TUE, "twice a week", "SET", "P1W"),
    ("The paper is printed daily.", TUE, "daily", "SET", "XXXX-XX-XX"),
    ("Inspectors visit each year.", TUE, "each year", "SET", "P1Y"),
    # clock times
    ("The blast came at 3 p.m. local time.", TUE, "3 p.m. local time", "TIME", "2024-11-05T15:00"),
    ("Curfew starts at 22:00.", TUE, "22:00", "TIME", "2024-11-05T22:00"),
    ("The market opens at noon.", TUE, "noon", "TIME", "2024-11-05T12:00"),
    ("The raid began at 1430 GMT.", TUE, "1430 GMT", "TIME", "2024-11-05T14:30"),
]


def _ids() -> list[str]:
    return [f"{i:03d}-{(c[2] or 'none').replace(' ', '_')}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize(("sentence", "anchor", "text", "type_", "value"), CASES, ids=_ids())
def test_rule(sentence: str, anchor: date, text: str | None, type_: str | None, value: str | None) -> None:
    found = find_timexes(sentence, anchor)
    for timex in found:
        assert sentence[timex.start : timex.end] == timex.text
    if text is None:
        assert found == [], f"expected no time expression in {sentence!r}, got {found}"
        return
    matches = [t for t in found if t.text == text]
    assert matches, f"{text!r} not found in {sentence!r}: {[t.text for t in found]}"
    assert (matches[0].type, matches[0].value) == (type_, value)


def test_at_least_a_hundred_cases() -> None:
    assert len(CASES) >= 100


@pytest.mark.parametrize(
    ("sentence", "text", "mod"),
    [
        ("In early October, rebels took the airport.", "early October", "START"),
        ("By late September the front had moved.", "late September", "END"),
        ("Fighting eased in mid-July.", "mid-July", "MID"),
        ("He held the post for almost seven years.", "almost seven years", "LESS_THAN"),
        ("The war from 1950 to 1953 left the land divided.", "1950", "RANGE_START"),
        ("The war from 1950 to 1953 left the land divided.", "1953", "RANGE_END"),
        ("The talks lasted about 40 minutes.", "about 40 minutes", "APPROX"),
    ],
)
def test_modifiers(sentence: str, text: str, mod: str) -> None:
    found = {t.text: t for t in find_timexes(sentence, TUE)}
    assert found[text].mod == mod


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("The mayor resigned on Saturday.", "Saturday"),
        ("The summit took place last August.", "last August"),
        ("Exports fell last year.", "last year"),
        ("The well was dug three days ago.", "three days ago"),
        ("The minister resigned yesterday.", "yesterday"),
        ("A Tuesday morning blast shook the port.", "Tuesday morning"),
        ("The convoy left on October 28.", "October 28"),
        ("In early October, rebels took the airport.", "early October"),
    ],
)
def test_relative_expressions_stay_unresolved_without_a_date(sentence: str, text: str) -> None:
    found = {t.text: t for t in find_timexes(sentence, None)}
    assert found[text].value is None
    assert found[text].resolved is False


@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("The mine closed in August 2019.", "August 2019", "2019-08"),
        ("The siege lasted eight years.", "eight years", "P8Y"),
        ("The photo was taken on 04 November 2024.", "04 November 2024", "2024-11-04"),
        ("The region is now under curfew.", "now", "PRESENT_REF"),
    ],
)
def test_absolute_expressions_resolve_without_a_date(sentence: str, text: str, value: str) -> None:
    found = {t.text: t for t in find_timexes(sentence, None)}
    assert (found[text].value, found[text].resolved) == (value, True)
