"""The info panel: what the model is, what to notice, what to try (NetLogo's Info tab), in both
languages. Markdown, shown by `components.InfoPanel`."""

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
  their agenda. Colours give the actor type and the table's tendency; a line is a seat.
- **Four tendencies** (Bourque's diagram): to the right, tables that their members own more than
  outsiders steer them (appropriation above instrumentalisation); at the top, tables where public
  partners are engaged (funded, or institutions hold at least half the power). *Empowerment*,
  *instrumentalisation*, *autonomiste*, *affairiste*.
- **Indicators over time**: the symptoms of *hyperconcertation*: tables multiply by
  sedimentation, the same organisations sit at more and more of them and run over their time,
  appropriation and citizen participation weaken.

### What to notice

- Under programme-driven funding the number of tables keeps growing while programmes keep
  launching, and organisations' memberships and over-solicitation climb with it.
- Programme tables drift left in the diagram (instrumentalisation): prescribed results,
  result-only evaluation and conditional funding steer them from outside.
- Citizens are few at most tables: a democratic deficit.
- Under co-construction, tables move right and up (empowerment) and produce collective projects.

### What to try

1. Run **Baseline**, then **Programme-driven** with the same seed: compare tables per
   organisation and the share of over-solicited organisations.
2. From **Programme-driven**, switch conditional funding off, lower prescribed results and
   switch on process evaluation, then press Reset: where do the tables go in the diagram?
3. Raise openness to citizens and professional support: does the citizen share rise? Does
   appropriation follow?
4. Set the power imbalance to 0 (institutions no more powerful than groups).
5. Switch on the integration lever (a territorial table, "la concertation des concertations").
6. **Funder exit**: watch the tables the foundation created after it leaves at year 10. Which
   survive? (Those their members appropriated.)

Change the seed to see how much comes from chance: a pattern worth teaching holds across seeds.
The model explains and illustrates, it does not predict; its rules, parameters and sources are
in `docs/ODD.md`.
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
  tendance de la table ; un trait est un siège.
- **Quatre tendances** (le schéma de Bourque) : à droite, les tables que leurs membres
  s'approprient plus qu'elles ne sont pilotées de l'extérieur (appropriation supérieure à
  l'instrumentalisation) ; en haut, celles où les partenaires publics sont engagés (financées,
  ou dont les institutions détiennent au moins la moitié du pouvoir). *Empowerment*,
  *instrumentalisation*, *autonomiste*, *affairiste*.
- **Indicateurs dans le temps** : les symptômes de l'*hyperconcertation* : les tables se
  multiplient par sédimentation, les mêmes organisations siègent à de plus en plus de tables et
  débordent leur temps, l'appropriation et la participation citoyenne s'affaiblissent.

### À remarquer

- Quand les programmes mènent, le nombre de tables croît tant que des programmes sont lancés,
  et avec lui les participations et la sursollicitation des organisations.
- Les tables de programme glissent vers la gauche du schéma (instrumentalisation) : résultats
  prescrits, évaluation des seuls résultats et financement conditionnel les pilotent de
  l'extérieur.
- Les citoyens sont rares à la plupart des tables : un déficit démocratique.
- En coconstruction, les tables vont vers la droite et le haut (empowerment) et produisent des
  projets collectifs.

### À essayer

1. Lancez **Référence**, puis **Par programmes** avec la même graine : comparez les tables par
   organisation et la part d'organisations sursollicitées.
2. Depuis **Par programmes**, retirez le financement conditionnel, baissez les résultats
   prescrits, activez l'évaluation des processus, puis appuyez sur Reset : où vont les tables
   dans le schéma ?
3. Augmentez l'ouverture aux citoyens et le soutien professionnel : la part des citoyens
   monte-t-elle ? L'appropriation suit-elle ?
4. Mettez le déséquilibre de pouvoir à 0 (institutions pas plus puissantes que les groupes).
5. Activez le levier d'intégration (une table territoriale, « la concertation des
   concertations »).
6. **Départ d'un bailleur** : suivez les tables créées par la fondation après son départ à
   l'an 10. Lesquelles survivent ? (Celles que leurs membres se sont appropriées.)

Changez la graine pour voir la part du hasard : un résultat qui vaut d'être enseigné tient
d'une graine à l'autre. Le modèle explique et illustre, il ne prédit pas ; ses règles, ses
paramètres et leurs sources sont dans `docs/ODD.md`.
""",
}
