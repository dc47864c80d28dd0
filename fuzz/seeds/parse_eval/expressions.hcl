locals {
  name    = "app-${v.s}"
  cidrs   = [for i in range(3) : cidrsubnet(v.s, 8, i)]
  by_key  = { for k, x in v.m : upper(k) => x if x != null }
  grouped = { for x in ["a", "b", "a"] : x => x... }
  joined  = join(",", [for x in v.l : tostring(x)])
  cond    = v.b ? length(v.l) : -1
  splat   = [{ a = 1 }, { a = 2 }][*].a
  maybe   = try(v.missing.x, can(v.u.x) ? "u" : "none")
  math    = (v.n * 7 + 1) % 4 / 2 >= 1 && !false || v.z == null
}

inputs = {
  tpl  = "%{ for i, x in v.l }${i}=${x}%{ if i < 2 },%{ endif }%{ endfor ~}"
  doc  = <<-EOT
    hello ${local.name}
      %{~ if v.b }yes%{ else }no%{ endif }
    EOT
  enc  = jsonencode({ a = [1, 2.5, "x"], b = { c = null } })
  dec  = yamldecode(file("a.txt"))
  tmpl = templatefile("t.tpl", { xs = ["a", "b"], name = "n" })
  fs   = fileset("/f", "*.txt")
  json = jsondecode(file("/f/v.json")).a[2]
}

remote_state {
  backend = "s3"
  config = {
    key    = "${basename("/x/y")}/terraform.tfstate"
    region = lookup({ a = "eu-west-1" }, "a", "us-east-1")
  }
}
