"""Plans approved before the entry-into-force rule (001 §7.8; 002 L1187-L1189) keep running
when their current version carries the signatures every pack requires: the person, the case
manager or social worker, and for a case received as a minor the legal representative. Others
wait for their missing signatures, as the plan page then says."""

from django.db import migrations


def forwards(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    PlanSignature = apps.get_model("plans", "PlanSignature")
    CaseMilestone = apps.get_model("work", "CaseMilestone")
    for plan in Plan.objects.filter(status="approved", in_force_since__isnull=True).select_related(
        "case"
    ):
        roles = set(
            PlanSignature.objects.filter(
                plan=plan, version_number=plan.version_number
            ).values_list("role", flat=True)
        )
        needed_staff = bool(roles & {"case_manager", "social_worker"})
        needed_guardian = not plan.case.minor_at_reception or "legal_representative" in roles
        if "person" in roles and needed_staff and needed_guardian and plan.approved_at:
            plan.in_force_since = plan.approved_at.date()
            plan.save(update_fields=["in_force_since"])
            # The review and term clocks run from the entry into force ("plan_approved");
            # the work items follow at the case's next recomputation.
            if not CaseMilestone.objects.filter(case=plan.case, kind="plan_approved").exists():
                CaseMilestone.objects.create(
                    case=plan.case, kind="plan_approved", occurred_on=plan.in_force_since
                )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_stages_in_force_formats"),
        ("work", "0002_plan_decided"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
