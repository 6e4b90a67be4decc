namespace MerchantConsole.Domain.Plans;

/// <summary>A tier, channel or product: something that belongs to one revision of a plan.</summary>
public interface IPlanPart
{
    Guid Id { get; }

    /// <summary>The plan revision that introduced it; above the plan's own revision means "not live yet".</summary>
    int Revision { get; }
}
