#!/usr/bin/env python3
"""Write a synthetic news-like JSONL corpus to stdout for timing entities.py.

    python3 scripts/spacy/make_bench.py [KILOBYTES] > bench.jsonl   # default 200

Documents are 4-12 sentences drawn (with a fixed seed) from the hand-written
sentences below, so the corpus is reproducible and has no outside source.
"""

import json
import random
import sys

SENTENCES = [
    "North Korean leader Kim Jong Un met Russian President Vladimir Putin in Pyongyang on Wednesday.",
    "The two leaders signed a comprehensive strategic partnership treaty at the Kumsusan Palace.",
    "Putin's plane landed at Sunan International Airport shortly before 3 a.m. local time.",
    "Kim greeted him on the tarmac and the motorcade drove through streets lined with portraits.",
    "The Korean Central News Agency said the talks were held in a warm and friendly atmosphere.",
    "Officials in Washington and Seoul said the agreement violated United Nations sanctions.",
    "South Korean President Yoon Suk Yeol convened an emergency meeting of the National Security Council.",
    "Japan's Chief Cabinet Secretary Yoshimasa Hayashi told reporters in Tokyo that the deal was alarming.",
    "NATO Secretary-General Jens Stoltenberg said Beijing was watching the relationship closely.",
    "Chinese Foreign Ministry spokesperson Lin Jian declined to comment on the treaty.",
    "Vietnam’s Communist Party chief Tô Lâm later welcomed Putin to Hanoi for a state visit.",
    "Tô Lâm and Putin discussed energy cooperation, including projects run by Gazprom and PetroVietnam.",
    "“We value our time-tested friendship,” Tô Lâm said at a banquet in the Presidential Palace.",
    "Analysts at the International Institute for Strategic Studies in London were sceptical.",
    "The Kremlin said Defence Minister Andrei Belousov and Foreign Minister Sergei Lavrov joined the delegation.",
    "Kim Yo Jong, the leader's sister, issued a statement criticising the United States.",
    "Satellite images analysed by 38 North showed new construction near the Yongbyon nuclear complex.",
    "Ukrainian President Volodymyr Zelensky said in Kyiv that North Korean shells had been used at the front.",
    "The European Union announced fresh sanctions on entities in Russia and North Korea.",
    "German Chancellor Olaf Scholz and French President Emmanuel Macron spoke by phone on Thursday.",
    "In São Paulo, Brazilian President Luiz Inácio Lula da Silva called for dialogue.",
    "Shares of Samsung Electronics fell 2 percent in Seoul as investors weighed the risks.",
    "The Bank of Korea kept its benchmark interest rate unchanged at 3.5 percent.",
    "Reuters reported that freight trains had crossed the Tumen River bridge near Khasan.",
    "A spokesman for the U.S. State Department, Matthew Miller, called the visit deeply concerning.",
    "Kim gifted Putin a pair of Pungsan hunting dogs, according to state media.",
    "Putin, in turn, presented Kim with an Aurus limousine, his second such gift.",
    "The visit was Putin's first to North Korea since 2000, when he met Kim Jong Il.",
    "Indian Prime Minister Narendra Modi is expected in Moscow next month.",
    "The talks in Zürich, hosted by the Swiss government, drew delegates from 90 countries.",
    "Executives from Nestlé, Siemens and Toyota attended the World Economic Forum in Davos.",
    "Mexican President Andrés Manuel López Obrador praised the outcome of the summit.",
    "Turkish President Recep Tayyip Erdoğan offered to mediate between Moscow and Kyiv.",
    "Polish Prime Minister Donald Tusk warned that Europe must prepare for a long confrontation.",
    "The International Atomic Energy Agency said its inspectors had no access to the site.",
    "Residents of Pyongyang were shown on Korean Central Television waving Russian flags.",
    "Kim Jong Un described Russia as the most honest friend and ally of the Korean people.",
    "Despite the pageantry, few details of the military clauses were made public.",
    "The Associated Press could not independently verify the claims made by either side.",
    "Markets in Hong Kong and Shanghai were little changed after the announcement.",
]


def main():
    target = int(sys.argv[1]) * 1000 if len(sys.argv) > 1 else 200_000
    rng = random.Random(20240619)
    size = 0
    n = 0
    while size < target:
        text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(4, 12)))
        line = json.dumps({"id": f"bench-{n}", "text": text}, ensure_ascii=False)
        sys.stdout.write(line + "\n")
        size += len(text.encode("utf-8"))
        n += 1


if __name__ == "__main__":
    main()
