"""The nightly 学情通报 (issue 14): drafted from the published warehouse, its prose checked against its
tables, written as DOCX, self-contained HTML and PDF (`peixun bulletin`).

content: what it says; checks: the prose against the tables; charts: matplotlib PNGs; layout, docx,
html, pdf: the formats; config: config/bulletin.yml; release: the folder a draft goes to.
"""
