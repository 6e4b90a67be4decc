namespace MerchantConsole.Domain.Common;

/// <summary>
/// A part of an aggregate with no concurrency stamp of its own (a run's step). The data layer renews the stamp of
/// the <see cref="IConcurrencyVersioned"/> root it belongs to whenever the part changes, so a save made from a stale
/// copy of any part of the aggregate fails as a whole.
/// </summary>
public interface IAggregatePart;
