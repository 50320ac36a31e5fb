"""The network, and the parameter values, a stack needs inside moto.

Formation's stacks take their network as parameters with CloudFormation's AWS-specific types
(`AWS::EC2::VPC::Id`, `List<AWS::EC2::Subnet::Id>`) and a CIDR string, so one template deploys into
any account's VPC. `formation deploy-args` prints the environment table's deploy values for them —
examples that exist in no account, least of all in moto. So, per environment, the harness creates a
VPC with the environment's CIDR (the printed deploy value of the CIDR parameter) and as many subnets
as the printed subnet list has (two or three), and overrides those parameters with what it created.

Which parameters need a moto value is derived from the template alone — each parameter's type and
name, never a list of stack names:

| parameter | value in moto |
|---|---|
| type `AWS::EC2::VPC::Id` | the environment's VPC |
| type `List<AWS::EC2::Subnet::Id>` / `AWS::EC2::Subnet::Id` | its subnets / its first subnet |
| type `List<AWS::EC2::SecurityGroup::Id>` / `AWS::EC2::SecurityGroup::Id` | the VPC's default security group |
| type `List<AWS::EC2::AvailabilityZone::Name>` / `AWS::EC2::AvailabilityZone::Name` | the subnets' zones / the first |
| type `String` named `…Cidr…` | the VPC's CIDR block |
| type `String` named `…Email…` | `e2e-<name>@example.com` (nothing is mailed: moto does not model subscriptions) |
| any other AWS-specific type | not provided: the run fails and says which parameter, so a provider gets added here |
"""

import ipaddress
import re

ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"]
DEFAULT_CIDR = "10.0.0.0/16"
MIN_SUBNETS, MAX_SUBNETS = 2, 3

# AWS-specific parameter type -> role.
TYPE_ROLES = {
    "AWS::EC2::VPC::Id": "vpc",
    "AWS::EC2::Subnet::Id": "subnet",
    "List<AWS::EC2::Subnet::Id>": "subnets",
    "AWS::EC2::SecurityGroup::Id": "security-group",
    "List<AWS::EC2::SecurityGroup::Id>": "security-groups",
    "AWS::EC2::AvailabilityZone::Name": "zone",
    "List<AWS::EC2::AvailabilityZone::Name>": "zones",
}
# String parameters recognized by name -> role.
NAME_ROLES = [(re.compile(r"cidr", re.IGNORECASE), "cidr"), (re.compile(r"e-?mail", re.IGNORECASE), "email")]


class Unsupported(Exception):
    """A parameter with an AWS-specific type the harness cannot provide in moto."""


def role(name, definition):
    """What the harness must supply for a parameter (a role above), or None when the printed
    deploy value or the Default is usable. Raises Unsupported for other AWS-specific types."""
    parameter_type = definition.get("Type", "String")
    if parameter_type in TYPE_ROLES:
        return TYPE_ROLES[parameter_type]
    if parameter_type.startswith(("AWS::", "List<AWS::")):
        raise Unsupported(f"parameter {name} has type {parameter_type}, which the e2e harness cannot provide in moto; "
                          f"add a provider in Tests/e2e/network.py")
    if parameter_type == "String":
        for pattern, found in NAME_ROLES:
            if pattern.search(name):
                return found
    return None


def roles(template):
    """{parameter name: role} for every parameter that needs a moto value."""
    found = {}
    for name, definition in (template.get("Parameters") or {}).items():
        value = role(name, definition)
        if value:
            found[name] = value
    return found


def needs_network(parameter_roles):
    return any(r not in ("email",) for r in parameter_roles.values())


def requested_network(parameter_roles, deploy_values):
    """(CIDR, subnet count) for the environment's VPC: the CIDR parameter's printed deploy value
    (DEFAULT_CIDR without one), and the printed subnet list's length clamped to 2..3."""
    cidr = DEFAULT_CIDR
    count = MIN_SUBNETS
    for name, parameter_role in parameter_roles.items():
        value = deploy_values.get(name, "")
        if parameter_role == "cidr" and value:
            try:
                cidr = str(ipaddress.IPv4Network(value, strict=True))
            except ValueError:
                raise Unsupported(f"parameter {name}: the printed deploy value {value!r} is not an IPv4 network")
        if parameter_role == "subnets" and value:
            count = max(count, len([word for word in value.split(",") if word]))
    return cidr, min(max(count, MIN_SUBNETS), MAX_SUBNETS)


def subnet_cidrs(vpc_cidr, count):
    """`count` consecutive subnet blocks inside vpc_cidr: /24s, or quarters of a smaller VPC."""
    network = ipaddress.IPv4Network(vpc_cidr)
    prefix = 24 if network.prefixlen <= 22 else network.prefixlen + 2
    if prefix > 28:
        raise Unsupported(f"VPC CIDR {vpc_cidr} is too small for {count} subnets")
    blocks = network.subnets(new_prefix=prefix)
    return [str(next(blocks)) for _ in range(count)]


class Network:
    """A VPC and its subnets, created in moto through the AWS CLI."""

    def __init__(self, environment, vpc_id, cidr, subnets):
        self.environment = environment
        self.vpc_id = vpc_id
        self.cidr = cidr
        self.subnets = subnets  # [(subnet id, zone)]
        self.default_security_group = None

    @property
    def subnet_ids(self):
        return [subnet for subnet, _ in self.subnets]

    @staticmethod
    def create(aws, environment, cidr, count):
        """`aws(*args)` runs one AWS CLI call and returns its parsed JSON."""
        def tags(resource_type):
            return f"ResourceType={resource_type},Tags=[{{Key=Name,Value=formation-e2e-{environment}}}]"
        vpc = aws("ec2", "create-vpc", "--cidr-block", cidr, "--tag-specifications", tags("vpc"))["Vpc"]
        subnets = []
        for index, block in enumerate(subnet_cidrs(cidr, count)):
            zone = ZONES[index % len(ZONES)]
            subnet = aws("ec2", "create-subnet", "--vpc-id", vpc["VpcId"], "--cidr-block", block,
                         "--availability-zone", zone, "--tag-specifications", tags("subnet"))["Subnet"]
            subnets.append((subnet["SubnetId"], subnet["AvailabilityZone"]))
        network = Network(environment, vpc["VpcId"], vpc["CidrBlock"], subnets)
        groups = aws("ec2", "describe-security-groups", "--filters", f"Name=vpc-id,Values={network.vpc_id}",
                     "Name=group-name,Values=default")["SecurityGroups"]
        network.default_security_group = groups[0]["GroupId"] if groups else None
        return network

    def describe(self):
        return f"{self.vpc_id} {self.cidr}, subnets {', '.join(f'{s} ({z})' for s, z in self.subnets)}"


def value_for(parameter_role, name, network):
    """The moto value for one parameter's role."""
    if parameter_role == "email":
        return f"e2e-{name.lower()}@example.com"
    if network is None:
        raise Unsupported(f"parameter {name} ({parameter_role}) needs the moto network, and none was created")
    if parameter_role == "vpc":
        return network.vpc_id
    if parameter_role == "cidr":
        return network.cidr
    if parameter_role == "subnets":
        return ",".join(network.subnet_ids)
    if parameter_role == "subnet":
        return network.subnet_ids[0]
    if parameter_role in ("security-group", "security-groups"):
        if not network.default_security_group:
            raise Unsupported(f"parameter {name}: moto reported no default security group in {network.vpc_id}")
        return network.default_security_group
    if parameter_role == "zones":
        return ",".join(zone for _, zone in network.subnets)
    if parameter_role == "zone":
        return network.subnets[0][1]
    raise Unsupported(f"parameter {name}: no value for role {parameter_role}")


def overrides(parameter_roles, network):
    """{parameter name: moto value} for every parameter that needs one."""
    return {name: value_for(parameter_role, name, network) for name, parameter_role in parameter_roles.items()}


def violations(template, values):
    """Values that real CloudFormation would reject for the template's AllowedPattern or
    AllowedValues (moto does not check them): [message]."""
    problems = []
    for name, value in values.items():
        definition = (template.get("Parameters") or {}).get(name)
        if definition is None:
            problems.append(f"{name}={value!r}: the template has no such parameter")
            continue
        items = value.split(",") if definition.get("Type", "").startswith("List<") or definition.get("Type") == "CommaDelimitedList" else [value]
        pattern = definition.get("AllowedPattern")
        allowed = definition.get("AllowedValues")
        for item in items:
            try:
                mismatch = pattern is not None and not re.fullmatch(pattern, item)
            except re.error as error:
                problems.append(f"{name}: AllowedPattern {pattern!r} is not a pattern Python can check ({error})")
                mismatch = False
            if mismatch:
                problems.append(f"{name}={item!r} does not match its AllowedPattern {pattern!r}")
            if allowed is not None and item not in [str(a) for a in allowed]:
                problems.append(f"{name}={item!r} is not one of its AllowedValues {allowed}")
    return problems
