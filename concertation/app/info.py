"""The info panel: what the model is, how it works, what to notice (NetLogo's Info tab), in both
languages, then the guided experiments (experiments.py) and a closing note. Markdown, shown by
`components.InfoPanel`."""

from __future__ import annotations

INFO: dict[str, str] = {
    "en": """
### What is it?

An agent-based model of **concertation tables** (tables de concertation) in Québec community
development, after Denis Bourque (*Concertation et partenariat*, 2008; 2010). Community groups,
public institutions, funders' officers and citizens, with unequal power and limited time, join
and leave tables. Tables are created from below (actors who share a need), by institutions, or
by the **programmes** of the state and of private foundations. Inside a table, dialogue builds
trust, shared understanding, commitment and collective projects, or the table turns into the
management of someone else's programme. One step is one month.

### How to read the page

- **Monitors** (top): the headline numbers of the current month.
- **Network**: actors around the circle by mission (one sector per direction), tables inside at
  their agenda. Colours give the actor type and the table's tendency, shapes the table's origin;
  a line is a seat, a dashed line a link between tables. **Click** a table or an actor (here or
  in the diagram) to inspect it.
- **Four tendencies** (Bourque's diagram): to the right, tables that their members own more than
  outsiders steer them (appropriation above instrumentalisation); at the top, tables where public
  partners are engaged (funded, or institutions hold at least half the power). *Empowerment*,
  *instrumentalisation*, *autonomiste*, *affairiste*.
- **Indicators over time**: the symptoms of *hyperconcertation*: tables multiply by
  sedimentation, the same organisations sit at more and more of them and run over their time,
  appropriation and citizen participation weaken.

### How it works

Each month, some members reconsider their seats and tables invite actors. Each actor weighs a
seat against its time: what the table brings (information, influence, an agenda that serves its
mission, money for groups, a mandate for institutions, a table it owns) against the hours it
costs, dearer when the actor is already over-stretched; it stays, leaves, or sends a delegate.
Programmes pay tables a coordinator's hours, means for projects and grants to groups; a table
whose money ends lives only if a member organisation takes over its convening and members keep
coming. Inside, attendance and support build trust, understanding and commitment; prescribed
results and a funder's pull steer the agenda. No rule writes the patterns: they come from these
choices.

### What to notice

- Under programme-driven funding the number of tables keeps growing while programmes keep
  launching, and organisations' memberships and over-solicitation climb with it.
- Programme tables drift left in the diagram (instrumentalisation): prescribed results,
  result-only evaluation and conditional funding steer them from outside.
- Citizens are few at most tables: a democratic deficit.
- Under co-construction, tables move right and up (empowerment) and produce collective projects.

""",
    "fr": """
### De quoi s'agit-il ?

Un modèle multi-agents des **tables de concertation** du développement des communautés au
Québec, d'après Denis Bourque (*Concertation et partenariat*, 2008 ; 2010). Des organismes
communautaires, des institutions publiques, des agents de bailleurs de fonds et des citoyens, au
pouvoir inégal et au temps limité, rejoignent des tables et les quittent. Les tables naissent de
la base (des acteurs qui partagent un besoin), des institutions, ou des **programmes** de l'État
et des fondations privées. À une table, le dialogue bâtit la confiance, une compréhension
commune, l'engagement et des projets collectifs, ou bien la table devient la gestion du
programme d'un autre. Un pas de temps est un mois.

### Comment lire la page

- **Indicateurs clés** (en haut) : les chiffres du mois en cours.
- **Réseau** : les acteurs autour du cercle selon leur mission (un secteur par direction), les
  tables au centre selon leur ordre du jour. Les couleurs donnent le type d'acteur et la
  tendance de la table, les formes l'origine de la table ; un trait est un siège, un tiret un
  lien entre tables. **Cliquez** sur une table ou un acteur (ici ou dans le schéma) pour
  l'inspecter.
- **Quatre tendances** (le schéma de Bourque) : à droite, les tables que leurs membres
  s'approprient plus qu'elles ne sont pilotées de l'extérieur (appropriation supérieure à
  l'instrumentalisation) ; en haut, celles où les partenaires publics sont engagés (financées,
  ou dont les institutions détiennent au moins la moitié du pouvoir). *Empowerment*,
  *instrumentalisation*, *autonomiste*, *affairiste*.
- **Indicateurs dans le temps** : les symptômes de l'*hyperconcertation* : les tables se
  multiplient par sédimentation, les mêmes organisations siègent à de plus en plus de tables et
  débordent leur temps, l'appropriation et la participation citoyenne s'affaiblissent.

### Comment ça marche

Chaque mois, des membres réexaminent leurs sièges et les tables invitent des acteurs. Chaque
acteur pèse un siège contre son temps : ce que la table apporte (information, influence, un
ordre du jour qui sert sa mission, de l'argent pour les groupes, un mandat pour les
institutions, une table qu'il s'approprie) contre les heures qu'elle coûte, plus chères quand
il déborde déjà ; il reste, part ou délègue. Les programmes paient aux tables les heures d'un
coordonnateur, des moyens pour des projets et des subventions aux groupes ; une table dont
l'argent s'arrête ne vit que si un organisme membre en reprend l'animation et que les membres
continuent de venir. À la table, la présence et le soutien bâtissent confiance, compréhension et
engagement ; les résultats prescrits et l'attraction du bailleur orientent l'ordre du jour.
Aucune règle n'écrit les résultats : ils viennent de ces choix.

### À remarquer

- Quand les programmes mènent, le nombre de tables croît tant que des programmes sont lancés,
  et avec lui les participations et la sursollicitation des organisations.
- Les tables de programme glissent vers la gauche du schéma (instrumentalisation) : résultats
  prescrits, évaluation des seuls résultats et financement conditionnel les pilotent de
  l'extérieur.
- Les citoyens sont rares à la plupart des tables : un déficit démocratique.
- En coconstruction, les tables vont vers la droite et le haut (empowerment) et produisent des
  projets collectifs.

""",
}

# After the guided experiments.
CLOSING: dict[str, str] = {
    "en": """
Change the seed to see how much comes from chance: a pattern worth teaching holds across seeds.
The model explains and illustrates, it does not predict; its rules, parameters and sources are
in its description, [the ODD](/odd) (`docs/ODD.md`).
""",
    "fr": """
Changez la graine pour voir la part du hasard : un résultat qui vaut d'être enseigné tient
d'une graine à l'autre. Le modèle explique et illustre, il ne prédit pas ; ses règles, ses
paramètres et leurs sources sont dans sa description, [l'ODD](/odd) (`docs/ODD.md`, en anglais).
""",
}
