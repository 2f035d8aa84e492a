"""Insights: what the log says back -- which messages work, where the network is thin, how I reached each person,
and a brief before every coffee chat.

Pure functions over a read connection (DB-API, `?` and `:name` parameters: `store.reader`) returning dataclasses with
`as_json()`; the CLI (crm.cli.insights) and the app share them. Reads never import the ORM; only
`crm.insights.targets` (adding a target company) writes, through SQLModel.

  funnel        `crm stats`: contacts by stage, counts by kind, reply rate, median days to reply, weekly trend
  replies       who replied to what: the credit each reply carries (kept by migration 0009's triggers), as counts
  templates_ab  reply rate per template with 95% Wilson intervals; which variant is better (only when they separate)
  companies     `crm companies`: per company the contacts, the warmest one, last touch, next follow-up, targets
  targets       `crm target add`: the one write
  paths         warm paths: the chain of introductions that led to a contact (cycles in bad data cannot hang it)
  prep          `crm prep`: the one-page brief before a coffee chat
"""
