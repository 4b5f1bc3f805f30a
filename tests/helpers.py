def contract_governance(figures: dict) -> dict:
    """The governance keys of the workbook contract (the evaluation adds more beside them)."""
    return {key: figures["governance"][key] for key in ("copil", "cotech", "elected_officials")}
