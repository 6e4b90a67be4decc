using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Plans;

namespace MerchantConsole.Tests.Domain.Benefits;

/// <summary>Custom benefits taken live through the domain alone (the activation's records faked), for tests of versions.</summary>
internal static class TestBenefits
{
    /// <summary>A Custom benefit of <paramref name="plan"/> whose first version is Active from <paramref name="from"/>.</summary>
    public static Benefit Live(MembershipPlan plan, DateOnly from, DateOnly today, DateTimeOffset now, string name = "Birthday cake")
    {
        var benefit = Benefit.Create(plan, name, [], BenefitKind.Custom, from, "admin", now);
        benefit.Versions.Single().SetCustomText("A cake on your birthday");
        Activate(benefit, null, today, now);
        return benefit;
    }

    /// <summary>
    /// Drafts a version effective from <paramref name="from"/> (none: the waiting draft), then begins and binds it as the
    /// activation does on <paramref name="today"/>; returns the versions the bind superseded.
    /// </summary>
    public static IReadOnlyList<BenefitVersion> Activate(Benefit benefit, DateOnly? from, DateOnly today, DateTimeOffset now)
    {
        if (from is { } date)
        {
            var draft = benefit.EditableDraft(date, "admin", now);
            draft.ChangeEffectiveFrom(date);
            draft.SetCustomText($"From {date:yyyy-MM-dd}");
        }
        var version = benefit.BeginActivation("admin", now);
        version.RecordActivity(Guid.NewGuid());
        return benefit.Bind(version.Id, today, now);
    }
}
