"""Steps of the shipped playbook (playbooks/personal-data-leak.yaml) that the drafts and the after-action report
name by id: one list each, so a step added to the playbook is added here once. A step that does not apply to an
incident (another cause's branch, a renamed playbook of one's own) is simply absent from it."""

from __future__ import annotations

REPORT_TO_SUPERIOR = "report_to_superior"
# Containing the leak, one per cause: the first of these done is "the containment".
CONTAINMENT = (
    "stop_using_system",
    "isolate_network",
    "disable_accounts",
    "remove_published_data",
    "request_recipient_deletion",
    "search_lost_item",
)
INVESTIGATION = ("identify_cause", "determine_scope")
# Protecting the people after the leak: what a public text may say was done besides the containment.
PROTECTION = (
    "request_third_party_deletion",
    "request_card_suspension",
    "recover_leaked_data",
    "remove_search_cache",
    "remove_malware",
    "fix_vulnerabilities",
    "monitor_misuse",
    "set_up_enquiry_desk",
    "notify_individuals",
)
