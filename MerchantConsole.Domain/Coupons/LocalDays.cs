namespace MerchantConsole.Domain.Coupons;

/// <summary>
/// The one home of "a day in the merchant's zone": which local date an instant falls on and the instant a local date
/// starts, across daylight-saving changes (a midnight that does not exist starts the day at the first instant that
/// does; a midnight that happens twice starts it at the first).
/// </summary>
public static class LocalDays
{
    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A gap is at most a few hours; walk to its end a minute at a time.
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The first instant after <paramref name="day"/>: a coupon valid through that day is valid before it.</summary>
    public static DateTimeOffset EndOf(DateOnly day, TimeZoneInfo zone) => StartOf(day.AddDays(1), zone);

    public static TimeZoneInfo Zone(string timeZoneId) => TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
}
