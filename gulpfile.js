// Builds CivicDesk's USWDS theme (frontend/uswds/styles.scss) with the USWDS compile tool.
// `make setup` runs `npx gulp compile`; the output goes to the git-ignored vendor folder.
const uswds = require("@uswds/compile");

uswds.settings.version = 3;
uswds.settings.compile.sassSourcemaps = false;
uswds.settings.compile.browserslist = ["> 0.5%", "last 2 versions", "not dead"];
uswds.paths.dist.theme = "./frontend/uswds";
uswds.paths.dist.css = "./src/civicdesk/static/vendor/uswds/css";

exports.compile = uswds.compileSass;
