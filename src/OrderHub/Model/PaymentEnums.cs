namespace OrderHub;

/// <summary>How much of an order is paid up front.</summary>
public enum PaymentOption
{
    /// <summary>An option this version of OrderHub does not know.</summary>
    Unknown = 0,

    /// <summary>Everything is paid up front.</summary>
    AllUpfront,

    /// <summary>Nothing is paid up front.</summary>
    NoUpfront,

    /// <summary>Part is paid up front.</summary>
    PartialUpfront,
}

/// <summary>The length of the term an order is paid over.</summary>
public enum PaymentTerm
{
    /// <summary>A term this version of OrderHub does not know.</summary>
    Unknown = 0,

    /// <summary>One year.</summary>
    OneYear,

    /// <summary>Three years.</summary>
    ThreeYears,

    /// <summary>Five years.</summary>
    FiveYears,
}

/// <summary>How the buyer pays.</summary>
public enum PaymentMethod
{
    /// <summary>A method this version of OrderHub does not know.</summary>
    Unknown = 0,

    /// <summary>Cash on delivery.</summary>
    CashOnDelivery,

    /// <summary>Paid at a convenience store.</summary>
    ConvenienceStore,

    /// <summary>Any other method (cards, gift certificates, invoices, ...).</summary>
    Other,
}

/// <summary>The carrier that ships a line.</summary>
public enum ShipmentCarrier
{
    /// <summary>A carrier this version of OrderHub does not know.</summary>
    Unknown = 0,

    /// <summary>DHL.</summary>
    Dhl,

    /// <summary>DB Schenker.</summary>
    Dbs,

    /// <summary>FedEx.</summary>
    FedEx,

    /// <summary>UPS.</summary>
    Ups,

    /// <summary>Expeditors.</summary>
    Expeditors,
}

/// <summary>Whether an address is a home, a business or a pickup point.</summary>
public enum AddressType
{
    /// <summary>A type this version of OrderHub does not know.</summary>
    Unknown = 0,

    /// <summary>A residential address.</summary>
    Residential,

    /// <summary>A business address.</summary>
    Commercial,

    /// <summary>A pickup point, such as a locker or a store counter.</summary>
    PickupPoint,
}
