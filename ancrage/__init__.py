"""Ancrage: plan, record and evaluate a psychosocial-skills (CPS) programme."""
