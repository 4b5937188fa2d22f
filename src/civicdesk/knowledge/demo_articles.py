"""The demo city's knowledge base: about 60 short articles, English and Spanish.

Each: slug, category, department slugs, service codes, (title, summary, body) in English,
then in Spanish. Bodies are Markdown. Riverton is fictional; so are its phone numbers.
"""

CATEGORIES = [
    ("trash-recycling", "Trash and recycling", "Basura y reciclaje"),
    ("streets", "Streets and sidewalks", "Calles y banquetas"),
    ("parking", "Parking and vehicles", "Estacionamiento y vehículos"),
    ("permits", "Permits and licenses", "Permisos y licencias"),
    ("taxes", "Taxes, bills and payments", "Impuestos, facturas y pagos"),
    ("voting", "Voting and elections", "Votación y elecciones"),
    ("animals", "Animals and pets", "Animales y mascotas"),
    ("parks", "Parks and recreation", "Parques y recreación"),
    ("water", "Water and sewer", "Agua y alcantarillado"),
    ("property", "Housing and property", "Vivienda y propiedad"),
    ("city", "City services and contact", "Servicios y contacto de la ciudad"),
]

A = []


def art(slug, category, departments, services, en, es):
    A.append({"slug": slug, "category": category, "departments": departments,
              "services": services, "en": en, "es": es})


# --- trash and recycling -----------------------------------------------------------------
art("trash-pickup-day", "trash-recycling", ["sanitation"], ["missed-trash"],
    ("When is my trash pickup day?",
     "Trash is collected once a week on the same weekday as your recycling; find your day by address on the collection map or call Sanitation at (555) 010-1200.",
     "Riverton collects trash **once a week**, Monday to Friday.\n\n- Put your cart at the curb by **6 a.m.** on your day, lid closed, handles facing the house.\n- Keep it 3 feet from cars, mailboxes and other carts.\n- When a holiday falls on a weekday, pickup moves one day later for the rest of that week.\n\nIf your cart was out on time and was not emptied, report a missed pickup."),
    ("¿Qué día recogen mi basura?",
     "La basura se recoge una vez por semana, el mismo día que el reciclaje; consulte su día por dirección en el mapa de recolección o llame a Saneamiento al (555) 010-1200.",
     "Riverton recoge la basura **una vez por semana**, de lunes a viernes.\n\n- Saque su contenedor a la acera antes de las **6 a. m.** de su día, con la tapa cerrada y las asas hacia la casa.\n- Déjelo a 3 pies de autos, buzones y otros contenedores.\n- Cuando hay un día festivo entre semana, la recolección se atrasa un día el resto de esa semana.\n\nSi su contenedor estaba afuera a tiempo y no lo vaciaron, reporte la recolección omitida."))
art("holiday-trash-schedule", "trash-recycling", ["sanitation"], [],
    ("Holiday trash and recycling schedule",
     "On city holidays that fall on a weekday, trash and recycling pickup moves one day later for the rest of the week.",
     "City holidays: New Year's Day, Memorial Day, Independence Day, Labor Day, Thanksgiving and Christmas.\n\nIf the holiday is on your pickup day or earlier in the week, put your cart out **one day later**. Friday routes are collected on Saturday."),
    ("Horario de basura en días festivos",
     "Cuando un día festivo de la ciudad cae entre semana, la recolección de basura y reciclaje se atrasa un día el resto de la semana.",
     "Días festivos: Año Nuevo, Día de los Caídos, Día de la Independencia, Día del Trabajo, Acción de Gracias y Navidad.\n\nSi el festivo cae en su día de recolección o antes en la semana, saque su contenedor **un día después**. Las rutas del viernes se recogen el sábado."))
art("what-goes-in-recycling", "trash-recycling", ["sanitation"], ["missed-recycling"],
    ("What can I put in the recycling cart?",
     "Clean paper, cardboard, plastic bottles and jugs, metal cans and glass bottles go loose in the blue cart; no plastic bags, food or hoses.",
     "**Yes:** paper, flattened cardboard, plastic bottles and jugs (numbers 1 and 2), metal cans, glass bottles and jars. Rinse them and put them in loose.\n\n**No:** plastic bags or film, food waste, foam, hoses, batteries, diapers, clothing.\n\nRecycling is collected every week on your trash day."),
    ("¿Qué puedo poner en el contenedor de reciclaje?",
     "Papel limpio, cartón, botellas y galones de plástico, latas de metal y botellas de vidrio van sueltos en el contenedor azul; nada de bolsas de plástico, comida ni mangueras.",
     "**Sí:** papel, cartón aplanado, botellas y galones de plástico (números 1 y 2), latas de metal, botellas y frascos de vidrio. Enjuáguelos y póngalos sueltos.\n\n**No:** bolsas o película de plástico, restos de comida, unicel, mangueras, baterías, pañales, ropa.\n\nEl reciclaje se recoge cada semana en su día de basura."))
art("bulk-item-pickup", "trash-recycling", ["sanitation"], ["bulk-pickup"],
    ("How do I get rid of furniture, a mattress or an appliance?",
     "Schedule a free bulk item pickup online: up to five large items a month, placed at the curb the night before your pickup date.",
     "Bulk pickup takes furniture, mattresses, box springs, carpets (rolled, under 4 feet) and appliances. Refrigerators and freezers must have their doors removed.\n\nUp to **five items a month** are free. Request the pickup online; the target time is shown below. Put the items at the curb after 6 p.m. the night before."),
    ("¿Cómo me deshago de muebles, un colchón o un electrodoméstico?",
     "Programe en línea una recolección gratuita de objetos grandes: hasta cinco objetos al mes, en la acera la noche anterior a la fecha.",
     "La recolección de objetos grandes se lleva muebles, colchones, bases de cama, alfombras (enrolladas, de menos de 4 pies) y electrodomésticos. A los refrigeradores y congeladores hay que quitarles las puertas.\n\nHasta **cinco objetos al mes** son gratis. Pida la recolección en línea; el tiempo previsto se muestra abajo. Ponga los objetos en la acera después de las 6 p. m. de la noche anterior."))
art("new-trash-cart", "trash-recycling", ["sanitation"], ["damaged-cart"],
    ("How do I get a new or replacement trash cart?",
     "Report a damaged or stolen cart online and Sanitation delivers a replacement; the first replacement is free.",
     "New residents get one trash cart and one recycling cart with their water account.\n\nIf a cart is cracked, missing a wheel or lid, or was stolen, request a replacement online. The first replacement each year is free; after that it costs $60, added to your utility bill. A second trash cart costs $8 a month."),
    ("¿Cómo consigo un contenedor de basura nuevo o de reemplazo?",
     "Reporte en línea un contenedor dañado o robado y Saneamiento le entrega otro; el primer reemplazo es gratis.",
     "Los residentes nuevos reciben un contenedor de basura y uno de reciclaje con su cuenta de agua.\n\nSi un contenedor está agrietado, sin rueda o tapa, o se lo robaron, pida uno nuevo en línea. El primer reemplazo del año es gratis; después cuesta $60, que se suman a su factura. Un segundo contenedor de basura cuesta $8 al mes."))
art("hazardous-waste", "trash-recycling", ["sanitation"], [],
    ("Where do I take paint, batteries, oil and electronics?",
     "Household hazardous waste and electronics go to the drop-off center at 400 Industrial Dr. on the first Saturday of each month, free for residents.",
     "Never put paint, motor oil, chemicals, batteries, fluorescent bulbs or electronics in your carts.\n\n**Drop-off center:** 400 Industrial Dr., first Saturday of the month, 8 a.m. to 2 p.m. Bring proof of address. Free for Riverton residents; businesses pay by weight."),
    ("¿Dónde llevo pintura, baterías, aceite y aparatos electrónicos?",
     "Los desechos peligrosos del hogar y los electrónicos se llevan al centro de acopio en 400 Industrial Dr. el primer sábado de cada mes, gratis para residentes.",
     "Nunca ponga pintura, aceite de motor, químicos, baterías, focos fluorescentes ni aparatos electrónicos en sus contenedores.\n\n**Centro de acopio:** 400 Industrial Dr., el primer sábado del mes, de 8 a. m. a 2 p. m. Traiga un comprobante de domicilio. Gratis para residentes de Riverton; los negocios pagan por peso."))
art("yard-waste", "trash-recycling", ["sanitation"], [],
    ("Yard waste and leaf collection",
     "Leaves, grass and branches in paper yard bags or bundled are collected weekly from April to November on your trash day.",
     "Use paper yard-waste bags or bundle branches up to 4 feet long and 3 inches thick. No plastic bags.\n\nFrom mid-October to late November, crews also vacuum leaves raked to the curb, street by street; check the leaf map for your week."),
    ("Recolección de desechos de jardín y hojas",
     "Hojas, pasto y ramas en bolsas de papel o en atados se recogen cada semana de abril a noviembre en su día de basura.",
     "Use bolsas de papel para jardín o amarre las ramas en atados de hasta 4 pies de largo y 3 pulgadas de grueso. Sin bolsas de plástico.\n\nDe mediados de octubre a finales de noviembre, las cuadrillas también aspiran las hojas rastrilladas junto a la acera, calle por calle; consulte el mapa de hojas para su semana."))
art("report-illegal-dumping", "trash-recycling", ["sanitation"], ["illegal-dumping"],
    ("Reporting illegal dumping",
     "Report trash or items dumped on a street, alley or vacant lot online; crews clear public property, and the target time is shown below.",
     "Dumping is a crime with fines up to $1,500. If you see it happen, note the vehicle and plate but do not approach.\n\nReport the pile online with a photo and location. Dumping on private property is the owner's to clear; the city sends them a notice."),
    ("Cómo reportar un tiradero ilegal",
     "Reporte en línea basura u objetos tirados en una calle, callejón o lote baldío; las cuadrillas limpian la propiedad pública; el tiempo previsto se muestra abajo.",
     "Tirar basura es un delito con multas de hasta $1,500. Si lo ve, anote el vehículo y la placa, pero no se acerque.\n\nReporte el montón en línea con una foto y la ubicación. Lo tirado en propiedad privada le toca limpiarlo al dueño; la ciudad le envía un aviso."))
art("missed-pickup", "trash-recycling", ["sanitation"], ["missed-trash", "missed-recycling"],
    ("My trash or recycling was not picked up",
     "If your cart was at the curb by 6 a.m. and was not emptied, report a missed pickup by the next working day and a truck comes back for it.",
     "Before reporting, check that it is not a holiday week and that the cart was reachable (not blocked by a car, lid closed).\n\nReport a missed pickup online by the end of the next working day. If the crew left a tag on the cart, it explains why it was not collected."),
    ("No recogieron mi basura o reciclaje",
     "Si su contenedor estaba en la acera antes de las 6 a. m. y no lo vaciaron, reporte la recolección omitida antes del siguiente día hábil y un camión regresa por ella.",
     "Antes de reportar, revise que no sea semana de día festivo y que el contenedor estuviera accesible (sin un auto enfrente, con la tapa cerrada).\n\nReporte la recolección omitida en línea antes del final del siguiente día hábil. Si la cuadrilla dejó una etiqueta en el contenedor, ahí explica por qué no se recogió."))

# --- streets and sidewalks -----------------------------------------------------------------
art("pothole-repair", "streets", ["public-works"], ["pothole"],
    ("How are potholes repaired?",
     "Report a pothole online with its location; crews fill reported potholes, dangerous ones first.",
     "Crews patch potholes year-round, with cold patch in winter and hot asphalt from April.\n\nReport each pothole with its address or a point on the map and, if you can, a photo. You can follow the repair on the request's public page."),
    ("¿Cómo se reparan los baches?",
     "Reporte un bache en línea con su ubicación; las cuadrillas rellenan los baches reportados, primero los peligrosos.",
     "Las cuadrillas tapan baches todo el año, con mezcla en frío en invierno y asfalto caliente desde abril.\n\nReporte cada bache con su dirección o un punto en el mapa y, si puede, una foto. Puede seguir la reparación en la página pública de la solicitud."))
art("vehicle-damage-claim", "streets", ["public-works"], [],
    ("My car was damaged by a pothole: can I file a claim?",
     "You can file a damage claim with the City Clerk within 30 days, with repair estimates and photos; the city pays only if the pothole had been reported and not fixed in time.",
     "Send the claim form, two repair estimates, photos of the damage and the location to the City Clerk, 100 Main St., within **30 days**.\n\nBy state law the city is liable only if it knew of the pothole and had a reasonable time to repair it. Decisions take about 60 days."),
    ("Un bache dañó mi auto: ¿puedo presentar un reclamo?",
     "Puede presentar un reclamo por daños ante la Secretaría Municipal en 30 días, con presupuestos de reparación y fotos; la ciudad paga solo si el bache ya estaba reportado y no se reparó a tiempo.",
     "Envíe el formulario de reclamo, dos presupuestos de reparación, fotos del daño y la ubicación a la Secretaría Municipal, 100 Main St., en un plazo de **30 días**.\n\nPor ley estatal la ciudad responde solo si conocía el bache y tuvo un tiempo razonable para repararlo. La decisión tarda unos 60 días."))
art("street-sweeping-schedule", "streets", ["public-works"], ["street-sweeping"],
    ("Street sweeping schedule",
     "Residential streets are swept once a month from April to November; signs go up two days before, and parked cars on the posted side may be ticketed.",
     "Main roads are swept every week, residential streets once a month, April to November.\n\nTemporary *No parking: street sweeping* signs go up 48 hours before. Move your car to the other side on the posted day. Report glass or debris that needs a sweeper any time."),
    ("Calendario de barrido de calles",
     "Las calles residenciales se barren una vez al mes de abril a noviembre; los letreros se ponen dos días antes y los autos en el lado indicado pueden ser multados.",
     "Las avenidas principales se barren cada semana, las calles residenciales una vez al mes, de abril a noviembre.\n\nLos letreros temporales de *No estacionarse: barrido de calles* se ponen 48 horas antes. Mueva su auto al otro lado el día indicado. Reporte vidrio o basura que necesite barredora en cualquier momento."))
art("snow-plowing", "streets", ["public-works"], ["snow-ice"],
    ("How does snow plowing work?",
     "Main roads and bus routes are plowed first, then residential streets within 24 hours after the snow stops; residents must clear their sidewalks within 24 hours.",
     "Plowing starts when 2 inches have fallen. Order: main roads and bus routes, then hills and school zones, then residential streets.\n\nDuring a **snow emergency**, do not park on snow routes. Clear the sidewalk in front of your home within 24 hours; neighbours who cannot may ask for help through the volunteer program."),
    ("¿Cómo funciona la limpieza de nieve?",
     "Primero se limpian las avenidas principales y las rutas de autobús, luego las calles residenciales en 24 horas después de que deja de nevar; los residentes deben limpiar sus banquetas en 24 horas.",
     "La limpieza empieza cuando caen 2 pulgadas. Orden: avenidas principales y rutas de autobús, luego pendientes y zonas escolares, luego calles residenciales.\n\nDurante una **emergencia por nieve**, no se estacione en las rutas de nieve. Limpie la banqueta frente a su casa en 24 horas; quien no pueda puede pedir ayuda al programa de voluntarios."))
art("sidewalk-repair-program", "streets", ["public-works"], ["sidewalk-repair"],
    ("Who repairs broken sidewalks?",
     "The city repairs sidewalks that are a tripping hazard; report cracked or lifted sections online, and owners can join the 50/50 cost-share program for full replacement.",
     "Report a sidewalk that is lifted more than 1 inch, cracked or missing. An inspector visits; hazards are marked and ground down or patched.\n\nUnder the **50/50 program**, the city pays half the cost of replacing the sidewalk in front of your home."),
    ("¿Quién repara las banquetas rotas?",
     "La ciudad repara las banquetas que son un riesgo de tropiezo; reporte en línea tramos agrietados o levantados, y los dueños pueden unirse al programa de costo compartido 50/50 para reemplazarlas.",
     "Reporte una banqueta levantada más de 1 pulgada, agrietada o faltante. Un inspector la visita; los riesgos se marcan y se rebajan o parchan.\n\nCon el **programa 50/50**, la ciudad paga la mitad del costo de reemplazar la banqueta frente a su casa."))
art("streetlight-repair", "streets", ["public-works"], ["streetlight-out"],
    ("A streetlight is out: who fixes it?",
     "Report a streetlight that is out, flickering or on during the day online with the pole number if you can.",
     "Each pole has a metal tag with a number; it helps the crew find the right light.\n\nLights on wooden poles along alleys belong to the power company; we forward those reports for you."),
    ("Hay un poste de luz apagado: ¿quién lo arregla?",
     "Reporte en línea una luz de calle apagada, parpadeando o encendida de día, con el número del poste si puede.",
     "Cada poste tiene una placa de metal con un número; ayuda a la cuadrilla a encontrar la luz correcta.\n\nLas luces en postes de madera de los callejones son de la compañía de luz; nosotros les enviamos esos reportes."))
art("graffiti-removal", "streets", ["public-works"], ["graffiti"],
    ("Graffiti removal",
     "The city removes graffiti from public property and, with the owner's consent, from private walls visible from the street for free.",
     "Report graffiti online with a photo. Offensive or hateful graffiti is removed first.\n\nProperty owners can sign a one-time consent form so crews can remove graffiti from their walls at no cost."),
    ("Retiro de grafiti",
     "La ciudad retira el grafiti de la propiedad pública y, con permiso del dueño, gratis de paredes privadas visibles desde la calle.",
     "Reporte el grafiti en línea con una foto. El grafiti ofensivo o de odio se retira primero.\n\nLos dueños pueden firmar un permiso único para que las cuadrillas quiten el grafiti de sus paredes sin costo."))
art("road-closures", "streets", ["public-works", "transportation"], [],
    ("Where can I find road closures and construction?",
     "Current road closures, detours and construction projects are on the city's traffic map, updated every morning.",
     "The traffic map shows closures, lane restrictions and planned work for the next two weeks. Emergency closures (water main breaks, crashes) are posted as they happen.\n\nContractors working in the street need a right-of-way permit; ask Public Works if you see work without signs."),
    ("¿Dónde veo cierres de calles y obras?",
     "Los cierres de calles, desvíos y obras en curso están en el mapa de tránsito de la ciudad, actualizado cada mañana.",
     "El mapa de tránsito muestra cierres, carriles restringidos y trabajos planeados para las próximas dos semanas. Los cierres de emergencia (roturas de tubería, choques) se publican cuando ocurren.\n\nLos contratistas que trabajan en la calle necesitan un permiso de vía pública; pregunte a Obras Públicas si ve trabajos sin señalización."))

# --- parking and vehicles ------------------------------------------------------------------
art("pay-parking-ticket", "parking", ["transportation"], [],
    ("How do I pay a parking ticket?",
     "Pay a parking ticket online, by phone at (555) 010-1300 or in person at City Hall within 21 days; after that a $25 late fee is added.",
     "You need the ticket number (top right of the ticket). Payment options: online by card, by phone, by mail (check to City of Riverton) or at the City Hall cashier, Monday to Friday, 8 a.m. to 5 p.m.\n\nTickets unpaid after 60 days go to collection and can block your registration renewal."),
    ("¿Cómo pago una multa de estacionamiento?",
     "Pague la multa en línea, por teléfono al (555) 010-1300 o en persona en el Ayuntamiento en 21 días; después se suma un recargo de $25.",
     "Necesita el número de la multa (arriba a la derecha). Formas de pago: en línea con tarjeta, por teléfono, por correo (cheque a City of Riverton) o en la caja del Ayuntamiento, de lunes a viernes, de 8 a. m. a 5 p. m.\n\nLas multas sin pagar después de 60 días pasan a cobranza y pueden impedir renovar su registro vehicular."))
art("contest-parking-ticket", "parking", ["transportation"], [],
    ("How do I contest a parking ticket?",
     "Request a hearing within 21 days of the ticket, online or by mail, explaining why it was wrong and adding photos; you do not pay while it is reviewed.",
     "An adjudicator reviews written contests within 30 days. You can also ask for an in-person hearing.\n\nCommon reasons accepted: signs missing or unreadable, a broken meter (report it first), a valid permit displayed, or a stolen vehicle."),
    ("¿Cómo impugno una multa de estacionamiento?",
     "Pida una audiencia en los 21 días siguientes a la multa, en línea o por correo, explicando por qué está mal y agregando fotos; no paga mientras se revisa.",
     "Un juez administrativo revisa las impugnaciones por escrito en 30 días. También puede pedir una audiencia en persona.\n\nRazones que suelen aceptarse: letreros faltantes o ilegibles, un parquímetro descompuesto (repórtelo antes), un permiso válido a la vista o un vehículo robado."))
art("residential-parking-permit", "parking", ["transportation"], [],
    ("Residential parking permits",
     "Residents of permit zones can buy a yearly parking permit for $30 per vehicle and visitor passes online, with proof of address and vehicle registration.",
     "Permit zones near downtown and the university limit parking to 2 hours for non-residents.\n\nApply online with proof of address (a utility bill or lease) and the vehicle's registration at that address. Each household may buy up to three permits and 20 daily visitor passes a month."),
    ("Permisos de estacionamiento residencial",
     "Los residentes de zonas con permiso pueden comprar en línea un permiso anual de $30 por vehículo y pases de visitante, con comprobante de domicilio y registro del vehículo.",
     "Las zonas con permiso cerca del centro y la universidad limitan el estacionamiento a 2 horas para no residentes.\n\nSolicítelo en línea con comprobante de domicilio (recibo de servicios o contrato de renta) y el registro del vehículo en esa dirección. Cada hogar puede comprar hasta tres permisos y 20 pases diarios de visitante al mes."))
art("towed-vehicle", "parking", ["transportation"], [],
    ("My car was towed: how do I get it back?",
     "Call the city impound lot at (555) 010-1350 to confirm your car is there, then bring ID, registration and payment to 900 Depot St.; fees grow each day.",
     "The lot is open every day from 7 a.m. to 10 p.m. The towing fee is $150 plus $25 a day of storage.\n\nBring a photo ID, the registration or title, and payment by card or cash. If the car is not at the lot, it may have been stolen: call the police non-emergency line."),
    ("Se llevaron mi auto con la grúa: ¿cómo lo recupero?",
     "Llame al corralón de la ciudad al (555) 010-1350 para confirmar que su auto está ahí, luego lleve identificación, registro y el pago a 900 Depot St.; las tarifas suben cada día.",
     "El corralón abre todos los días de 7 a. m. a 10 p. m. La grúa cuesta $150 más $25 por día de resguardo.\n\nLleve identificación con foto, el registro o título y el pago con tarjeta o efectivo. Si el auto no está en el corralón, quizá fue robado: llame a la línea de la policía para casos que no son de emergencia."))
art("abandoned-vehicles", "parking", ["transportation"], ["abandoned-vehicle"],
    ("Reporting an abandoned vehicle",
     "A vehicle parked on a public street for more than 72 hours can be reported online; it is tagged and towed if not moved within three days.",
     "Report the make, color, plate and location. An officer tags the vehicle with a notice; the owner has 72 hours to move it before it is towed.\n\nVehicles on private property are the owner's matter unless they are a hazard."),
    ("Cómo reportar un vehículo abandonado",
     "Un vehículo estacionado en la vía pública más de 72 horas se puede reportar en línea; se le pone un aviso y se remolca si no se mueve en tres días.",
     "Reporte la marca, el color, la placa y la ubicación. Un agente pone un aviso en el vehículo; el dueño tiene 72 horas para moverlo antes de que se lo lleve la grúa.\n\nLos vehículos en propiedad privada son asunto del dueño, salvo que sean un peligro."))
art("blocked-driveway", "parking", ["transportation"], ["parking-violation"],
    ("Someone is blocking my driveway",
     "Report a vehicle blocking a driveway, hydrant or crosswalk online or call (555) 010-1300; parking officers respond day and night.",
     "Officers can ticket and tow a vehicle blocking access to your driveway. Give the plate and your address.\n\nYou may not have a car towed from the street yourself; only the city can."),
    ("Alguien bloquea la entrada de mi cochera",
     "Reporte en línea un vehículo que bloquea una cochera, un hidrante o un cruce peatonal, o llame al (555) 010-1300; los agentes responden de día y de noche.",
     "Los agentes pueden multar y remolcar un vehículo que bloquea el acceso a su cochera. Indique la placa y su dirección.\n\nUsted no puede mandar remolcar un auto de la calle; solo la ciudad puede."))
art("parking-meters", "parking", ["transportation"], [],
    ("Parking meters and how to pay",
     "Downtown meters run Monday to Saturday, 9 a.m. to 6 p.m., at $1.50 an hour; pay by card, coins or the parking app, and Sundays and holidays are free.",
     "Most meters allow 2 hours. Report a broken meter (its number is on the sticker) before you leave; do not park at a meter bagged for construction.\n\nDisabled parking placards allow free parking at meters for up to 4 hours."),
    ("Parquímetros y cómo pagar",
     "Los parquímetros del centro funcionan de lunes a sábado, de 9 a. m. a 6 p. m., a $1.50 la hora; pague con tarjeta, monedas o la aplicación, y domingos y festivos son gratis.",
     "La mayoría permite 2 horas. Reporte un parquímetro descompuesto (su número está en la etiqueta) antes de irse; no se estacione en un parquímetro cubierto por obras.\n\nCon placa de estacionamiento para personas con discapacidad se estaciona gratis en parquímetros hasta 4 horas."))

# --- permits and licenses ------------------------------------------------------------------
art("building-permit", "permits", ["code-enforcement"], [],
    ("Do I need a building permit?",
     "You need a building permit for new structures, additions, decks, roofs, fences over 6 feet and most electrical, plumbing and heating work; apply online.",
     "No permit is needed for painting, flooring, cabinets or repairs that do not change the structure.\n\nApply online with a site plan and drawings. Simple permits (fences, roofs, water heaters) are issued in 3 working days; others take about 3 weeks. Inspections are booked online."),
    ("¿Necesito un permiso de construcción?",
     "Necesita permiso de construcción para estructuras nuevas, ampliaciones, terrazas, techos, cercas de más de 6 pies y casi todo trabajo eléctrico, de plomería y calefacción; solicítelo en línea.",
     "No hace falta permiso para pintar, cambiar pisos, gabinetes o reparaciones que no cambian la estructura.\n\nSolicítelo en línea con un plano del terreno y dibujos. Los permisos sencillos (cercas, techos, calentadores) se emiten en 3 días hábiles; los demás tardan unas 3 semanas. Las inspecciones se agendan en línea."))
art("fence-permit", "permits", ["code-enforcement"], [],
    ("Fence rules and permits",
     "Fences up to 4 feet in front yards and 6 feet in back yards need no permit; taller fences do, and every fence must stay on your own property.",
     "Finished side faces out. Keep fences out of the sidewalk and 10 feet back from corners so drivers can see.\n\nIf you are unsure where your property line is, the county's parcel map or a survey will tell you."),
    ("Reglas y permisos para cercas",
     "Las cercas de hasta 4 pies en el patio delantero y 6 pies en el trasero no necesitan permiso; las más altas sí, y toda cerca debe estar dentro de su propiedad.",
     "El lado terminado va hacia afuera. Mantenga las cercas fuera de la banqueta y a 10 pies de las esquinas para que los conductores vean.\n\nSi no sabe dónde está el límite de su propiedad, el mapa de parcelas del condado o un deslinde se lo dirán."))
art("business-license", "permits", [], [],
    ("How do I get a business license?",
     "Every business in Riverton, including home businesses, needs a business license; apply online with your state registration and pay $50 a year.",
     "You need your state business registration, your federal tax ID (or SSN for sole owners) and the business address. Restaurants also need a health permit from the county.\n\nLicenses are renewed every January. Home businesses may not have signs or customer parking that disturbs neighbours."),
    ("¿Cómo obtengo una licencia de negocio?",
     "Todo negocio en Riverton, incluidos los que operan desde casa, necesita licencia; solicítela en línea con su registro estatal y pague $50 al año.",
     "Necesita el registro estatal del negocio, su número de identificación fiscal federal (o el SSN si es dueño único) y la dirección del negocio. Los restaurantes también necesitan un permiso de salud del condado.\n\nLas licencias se renuevan cada enero. Los negocios en casa no pueden tener letreros ni estacionamiento de clientes que moleste a los vecinos."))
art("block-party-permit", "permits", ["transportation"], [],
    ("Block party and street closure permit",
     "Apply for a free block party permit at least 30 days ahead, with signatures from most households on the block; the city lends barricades.",
     "Block parties may run from 10 a.m. to 10 p.m. Keep a 20-foot lane open for fire trucks.\n\nAmplified music needs a separate noise permit after 8 p.m. Barricades are dropped off the day before and picked up the next morning."),
    ("Permiso para fiesta de cuadra y cierre de calle",
     "Solicite un permiso gratuito para fiesta de cuadra al menos 30 días antes, con firmas de la mayoría de los hogares de la cuadra; la ciudad presta las barricadas.",
     "Las fiestas de cuadra pueden ser de 10 a. m. a 10 p. m. Deje un carril de 20 pies libre para los bomberos.\n\nLa música amplificada necesita un permiso de ruido aparte después de las 8 p. m. Las barricadas se dejan el día anterior y se recogen a la mañana siguiente."))
art("garage-sale", "permits", [], [],
    ("Do I need a permit for a garage sale?",
     "No permit is needed for up to four garage sales a year, each up to three days; signs must be removed the day the sale ends and never go on utility poles.",
     "Sales may run from 8 a.m. to 6 p.m. Keep items off the sidewalk. Signs on poles, trees and traffic signs are removed and can be fined."),
    ("¿Necesito permiso para una venta de garaje?",
     "No se necesita permiso para hasta cuatro ventas de garaje al año, de hasta tres días cada una; los letreros deben quitarse el día que termina y nunca van en postes.",
     "Las ventas pueden ser de 8 a. m. a 6 p. m. Mantenga los artículos fuera de la banqueta. Los letreros en postes, árboles y señales de tránsito se retiran y pueden multarse."))
art("dumpster-permit", "permits", ["public-works"], [],
    ("Permit for a dumpster or storage pod on the street",
     "A dumpster or storage container on the street needs a right-of-way permit, $25 a week, with reflectors; on your driveway no permit is needed.",
     "Apply online at least 3 working days ahead with the location and dates. The container must have reflective tape and may not block the sidewalk, a hydrant or a crosswalk."),
    ("Permiso para un contenedor o bodega portátil en la calle",
     "Un contenedor de escombros o bodega portátil en la calle necesita permiso de vía pública, $25 por semana, con reflejantes; en su cochera no se necesita permiso.",
     "Solicítelo en línea al menos 3 días hábiles antes con la ubicación y las fechas. El contenedor debe tener cinta reflejante y no puede bloquear la banqueta, un hidrante ni un cruce peatonal."))

# --- taxes and payments --------------------------------------------------------------------
art("property-tax", "taxes", [], [],
    ("When and how do I pay property tax?",
     "Property tax is billed by the county in two installments, due June 1 and September 1; pay online, by mail or at the County Treasurer's office.",
     "The city's share of your bill pays for police, fire, streets and parks. The county assessor sets your property's value; you can appeal it in the spring.\n\nSeniors, veterans and people with disabilities may qualify for exemptions that lower the bill."),
    ("¿Cuándo y cómo pago el impuesto predial?",
     "El condado factura el impuesto predial en dos pagos, que vencen el 1 de junio y el 1 de septiembre; pague en línea, por correo o en la Tesorería del Condado.",
     "La parte de la ciudad en su factura paga policía, bomberos, calles y parques. El tasador del condado fija el valor de su propiedad; puede apelarlo en primavera.\n\nLas personas mayores, veteranos y personas con discapacidad pueden tener exenciones que bajan la factura."))
art("property-tax-exemptions", "taxes", [], [],
    ("Property tax exemptions for seniors, veterans and homeowners",
     "Homeowners living in their home get the homestead exemption; seniors over 65, veterans with disabilities and people with disabilities can apply for more with the county assessor.",
     "Apply once with the county assessor by **March 31**; most exemptions renew automatically. The senior freeze keeps your assessed value from rising if household income is under $65,000."),
    ("Exenciones de impuesto predial para personas mayores, veteranos y dueños de casa",
     "Los dueños que viven en su casa tienen la exención de vivienda principal; mayores de 65, veteranos con discapacidad y personas con discapacidad pueden pedir más ante el tasador del condado.",
     "Solicítelo una vez ante el tasador del condado antes del **31 de marzo**; la mayoría de las exenciones se renuevan solas. El congelamiento para personas mayores evita que suba el valor tasado si el ingreso del hogar es menor de $65,000."))
art("pay-water-bill", "taxes", ["water"], [],
    ("How do I pay my water and sewer bill?",
     "Water bills come every two months; pay online, with automatic payment, by phone, by mail or at City Hall, and ask about a payment plan if you are behind.",
     "Your account number is on the top of the bill. Automatic payment from a bank account has no fee; cards have a $1.95 fee.\n\nIf you cannot pay, call (555) 010-1700 before the due date: payment plans and the assistance fund can prevent a shut-off."),
    ("¿Cómo pago mi factura de agua y alcantarillado?",
     "Las facturas de agua llegan cada dos meses; pague en línea, con pago automático, por teléfono, por correo o en el Ayuntamiento, y pregunte por un plan de pagos si está atrasado.",
     "Su número de cuenta está arriba en la factura. El pago automático desde una cuenta bancaria no tiene cargo; con tarjeta hay un cargo de $1.95.\n\nSi no puede pagar, llame al (555) 010-1700 antes del vencimiento: los planes de pago y el fondo de ayuda pueden evitar un corte."))
art("utility-assistance", "taxes", ["water"], [],
    ("Help paying utility bills",
     "Households with low income, seniors and people with disabilities can get up to $300 a year off their water bill from the assistance fund, and a payment plan with no late fees.",
     "Apply with proof of income (last month's pay stubs, benefits letter or tax return) and your water account number. Decisions take about ten working days; shut-offs are paused while your application is reviewed."),
    ("Ayuda para pagar los servicios",
     "Hogares de bajos ingresos, personas mayores y personas con discapacidad pueden recibir hasta $300 al año de descuento en su factura de agua del fondo de ayuda, y un plan de pagos sin recargos.",
     "Solicítelo con comprobante de ingresos (talones de pago del último mes, carta de beneficios o declaración de impuestos) y su número de cuenta de agua. La decisión tarda unos diez días hábiles; los cortes se suspenden mientras se revisa su solicitud."))
art("city-fees", "taxes", [], [],
    ("Paying other city fees and fines",
     "Permits, licenses, tickets and most city fees can be paid online by card or at the City Hall cashier, Monday to Friday, 8 a.m. to 5 p.m.",
     "The cashier is on the first floor of City Hall, 100 Main St., and takes cash, checks and cards. Keep your receipt; online payments get an emailed receipt."),
    ("Pago de otras tarifas y multas de la ciudad",
     "Permisos, licencias, multas y la mayoría de las tarifas se pueden pagar en línea con tarjeta o en la caja del Ayuntamiento, de lunes a viernes, de 8 a. m. a 5 p. m.",
     "La caja está en el primer piso del Ayuntamiento, 100 Main St., y acepta efectivo, cheques y tarjetas. Guarde su recibo; los pagos en línea reciben un recibo por correo electrónico."))

# --- voting -----------------------------------------------------------------------------------
art("register-to-vote", "voting", [], [],
    ("How do I register to vote?",
     "Register online, by mail or at the City Clerk's office up to 28 days before an election; you can also register at your polling place on election day with ID and proof of address.",
     "You can register if you are a U.S. citizen, 18 by election day and live in Riverton. Bring a photo ID and a document with your current address (a bill, bank statement or lease).\n\nUpdate your registration when you move, even within the city."),
    ("¿Cómo me registro para votar?",
     "Regístrese en línea, por correo o en la Secretaría Municipal hasta 28 días antes de una elección; también puede registrarse en su casilla el día de la elección con identificación y comprobante de domicilio.",
     "Puede registrarse si es ciudadano de EE. UU., tiene 18 años el día de la elección y vive en Riverton. Traiga identificación con foto y un documento con su domicilio actual (un recibo, estado de cuenta o contrato de renta).\n\nActualice su registro cuando se mude, aunque sea dentro de la ciudad."))
art("where-do-i-vote", "voting", [], [],
    ("Where do I vote?",
     "Your polling place depends on your address and is printed on your voter card; look it up online, and polls are open 7 a.m. to 8 p.m. on election day.",
     "If you are in line by 8 p.m., you can vote. All polling places are accessible and have a voting machine with audio and large print.\n\nEarly voting is at City Hall during the two weeks before each election."),
    ("¿Dónde voto?",
     "Su casilla depende de su domicilio y aparece en su tarjeta de elector; búsquela en línea; las casillas abren de 7 a. m. a 8 p. m. el día de la elección.",
     "Si está en la fila a las 8 p. m., puede votar. Todas las casillas son accesibles y tienen una máquina con audio y letra grande.\n\nEl voto anticipado es en el Ayuntamiento durante las dos semanas antes de cada elección."))
art("vote-by-mail", "voting", [], [],
    ("How do I vote by mail?",
     "Any registered voter can request a mail ballot online or from the City Clerk; return it by mail postmarked by election day or in a city drop box by 8 p.m.",
     "Request your ballot at least 7 days before the election. Sign the envelope: unsigned ballots cannot be counted. Track your ballot online.\n\nDrop boxes are at City Hall, the main library and the Northside community center."),
    ("¿Cómo voto por correo?",
     "Cualquier elector registrado puede pedir una boleta por correo en línea o en la Secretaría Municipal; devuélvala por correo con matasellos del día de la elección o en un buzón de la ciudad antes de las 8 p. m.",
     "Pida su boleta al menos 7 días antes de la elección. Firme el sobre: las boletas sin firma no se cuentan. Siga su boleta en línea.\n\nHay buzones en el Ayuntamiento, la biblioteca principal y el centro comunitario Northside."))

# --- animals ------------------------------------------------------------------------------------
art("dog-license", "animals", ["animal-services"], [],
    ("Dog and cat licenses",
     "Dogs and cats over four months old need a yearly city license: $10 if spayed or neutered, $30 if not, with proof of a current rabies vaccine.",
     "License online, at the animal shelter or at participating vets. The tag helps us bring a lost pet home quickly.\n\nSeniors over 65 get their first pet's license free."),
    ("Licencias para perros y gatos",
     "Los perros y gatos de más de cuatro meses necesitan licencia anual de la ciudad: $10 si están esterilizados, $30 si no, con comprobante de vacuna antirrábica vigente.",
     "Saque la licencia en línea, en el refugio de animales o con veterinarios participantes. La placa nos ayuda a devolver pronto una mascota perdida.\n\nLos mayores de 65 años reciben gratis la licencia de su primera mascota."))
art("lost-pet", "animals", ["animal-services"], ["stray-animal"],
    ("I lost my pet: what should I do?",
     "Check the shelter's found-animals page daily and visit the shelter at 1200 Shelter Rd.; pets are held five days before adoption, longer if they have a tag or microchip.",
     "File a lost-pet report with a photo. Walk your neighbourhood and post flyers. The shelter scans every animal for a microchip.\n\nTo reclaim a pet, bring proof of ownership and the license; fees start at $25."),
    ("Perdí a mi mascota: ¿qué hago?",
     "Revise a diario la página de animales encontrados del refugio y visite el refugio en 1200 Shelter Rd.; las mascotas se guardan cinco días antes de darlas en adopción, más si tienen placa o microchip.",
     "Presente un reporte de mascota perdida con foto. Recorra su colonia y ponga volantes. El refugio revisa a cada animal en busca de microchip.\n\nPara recuperarla, traiga prueba de que es suya y la licencia; las tarifas empiezan en $25."))
art("adopt-a-pet", "animals", ["animal-services"], [],
    ("Adopting a pet from the city shelter",
     "The city shelter at 1200 Shelter Rd. has dogs, cats and rabbits for adoption, Tuesday to Sunday, 11 a.m. to 6 p.m.; fees include vaccines, microchip and spay or neuter.",
     "Adoption fees: dogs $75, cats $50, seniors (animals over 7 years) free. Bring a photo ID; renters should bring their landlord's pet policy.\n\nYou can also foster an animal for a few weeks; the shelter provides food and care."),
    ("Adoptar una mascota del refugio de la ciudad",
     "El refugio de la ciudad en 1200 Shelter Rd. tiene perros, gatos y conejos en adopción, de martes a domingo, de 11 a. m. a 6 p. m.; la tarifa incluye vacunas, microchip y esterilización.",
     "Tarifas de adopción: perros $75, gatos $50, animales mayores de 7 años gratis. Traiga identificación con foto; quienes rentan deben traer la política de mascotas del arrendador.\n\nTambién puede cuidar temporalmente a un animal unas semanas; el refugio da la comida y la atención."))
art("barking-dogs", "animals", ["animal-services"], ["barking-dog"],
    ("What can I do about a neighbour's barking dog?",
     "Talk to your neighbour first; if barking continues for more than 15 minutes at a time, report it online and an officer sends a warning, then fines.",
     "Keep a log of dates and times; it helps the officer. After a warning, repeated complaints from two households can lead to fines of $50 to $250."),
    ("¿Qué hago con el perro de un vecino que ladra?",
     "Hable primero con su vecino; si los ladridos siguen más de 15 minutos seguidos, repórtelo en línea y un agente envía una advertencia y luego multas.",
     "Anote fechas y horas; ayuda al agente. Después de una advertencia, las quejas repetidas de dos hogares pueden llevar a multas de $50 a $250."))
art("animal-bites", "animals", ["animal-services"], ["animal-bite"],
    ("What to do after an animal bite",
     "Wash the wound with soap and water, see a doctor, and report the bite the same day so the animal can be checked for rabies.",
     "Get the owner's name and address and the animal's description. A dog or cat that bites is observed for 10 days. Bites by wild animals, especially bats, need medical care right away.\n\nFor a serious injury, call 911."),
    ("Qué hacer después de una mordida de animal",
     "Lave la herida con agua y jabón, vea a un médico y reporte la mordida el mismo día para revisar al animal por rabia.",
     "Pida el nombre y la dirección del dueño y la descripción del animal. Un perro o gato que muerde queda en observación 10 días. Las mordidas de animales silvestres, sobre todo murciélagos, necesitan atención médica de inmediato.\n\nSi la herida es grave, llame al 911."))
art("wildlife", "animals", ["animal-services"], [],
    ("Wild animals in my home or yard",
     "Animal Services removes injured or sick wild animals and any bat found inside a home; healthy raccoons, skunks or opossums in yards are left alone or handled by private trappers.",
     "Never touch a wild animal. Keep trash lids closed and pet food inside to avoid attracting them. A wild animal acting strangely in daylight may be sick: call (555) 010-1500."),
    ("Animales silvestres en mi casa o patio",
     "Servicios de Animales retira animales silvestres heridos o enfermos y cualquier murciélago dentro de una casa; los mapaches, zorrillos o zarigüeyas sanos en patios se dejan en paz o los atienden tramperos privados.",
     "Nunca toque un animal silvestre. Mantenga las tapas de basura cerradas y la comida de mascotas adentro para no atraerlos. Un animal silvestre que actúa raro de día puede estar enfermo: llame al (555) 010-1500."))

# --- parks ------------------------------------------------------------------------------------
art("reserve-park-shelter", "parks", ["parks"], [],
    ("Reserving a park shelter or field",
     "Picnic shelters and sports fields can be reserved online from $40 for four hours, up to a year ahead; unreserved shelters are first come, first served.",
     "Reservations open on January 2 for the whole year. Cancel at least 14 days ahead for a full refund. Alcohol needs a separate permit; bounce houses need approval."),
    ("Reservar un kiosco o cancha en un parque",
     "Los kioscos de picnic y las canchas se reservan en línea desde $40 por cuatro horas, hasta con un año de anticipación; los no reservados son para quien llegue primero.",
     "Las reservaciones del año abren el 2 de enero. Cancele al menos 14 días antes para un reembolso completo. El alcohol necesita un permiso aparte; los brincolines necesitan aprobación."))
art("park-hours", "parks", ["parks"], ["park-maintenance"],
    ("Park hours and rules",
     "City parks are open from 6 a.m. to 10 p.m.; dogs must be leashed except in the dog parks, and broken equipment can be reported online.",
     "Glass containers, fires outside grills and motorized vehicles are not allowed. Playgrounds are for children under 12 with an adult nearby.\n\nReport broken swings, benches or lights online; unsafe equipment is closed the same day."),
    ("Horarios y reglas de los parques",
     "Los parques de la ciudad abren de 6 a. m. a 10 p. m.; los perros deben ir con correa excepto en los parques para perros, y el equipo roto se puede reportar en línea.",
     "No se permiten envases de vidrio, fuego fuera de los asadores ni vehículos motorizados. Los juegos infantiles son para menores de 12 años con un adulto cerca.\n\nReporte columpios, bancas o luces rotas en línea; el equipo inseguro se cierra el mismo día."))
art("pools-and-recreation", "parks", ["parks"], [],
    ("Swimming pools and recreation programs",
     "Outdoor pools open Memorial Day to Labor Day, noon to 7 p.m.; swim lessons, youth sports and senior classes are listed in the seasonal program guide with online registration.",
     "Day passes are $3 for residents; season passes $40 per person. Residents with low income get 50% off programs and passes; apply once a year with proof of income."),
    ("Albercas y programas recreativos",
     "Las albercas al aire libre abren del Día de los Caídos al Día del Trabajo, de mediodía a 7 p. m.; las clases de natación, deportes juveniles y clases para mayores están en la guía de la temporada con inscripción en línea.",
     "El pase diario cuesta $3 para residentes; el de temporada $40 por persona. Los residentes de bajos ingresos tienen 50% de descuento en programas y pases; solicítelo una vez al año con comprobante de ingresos."))
art("city-trees", "parks", ["parks"], ["tree-trim", "tree-down"],
    ("Trees on the parkway: trimming, removal and planting",
     "Trees between the sidewalk and the street belong to the city: report ones that need trimming or are down, and request a free new tree in spring or fall.",
     "Do not prune or remove a parkway tree yourself. Trimming requests are done on a rotation and may take up to 20 weeks; fallen trees blocking a street are cleared first.\n\nFree trees are planted in April and October."),
    ("Árboles de la franja: poda, retiro y plantación",
     "Los árboles entre la banqueta y la calle son de la ciudad: reporte los que necesitan poda o se cayeron, y pida un árbol nuevo gratis en primavera u otoño.",
     "No pode ni quite usted un árbol de la franja. Las podas se hacen por turnos y pueden tardar hasta 20 semanas; los árboles caídos que bloquean una calle se retiran primero.\n\nLos árboles gratis se plantan en abril y octubre."))

# --- water and sewer ----------------------------------------------------------------------------
art("start-stop-water", "water", ["water"], [],
    ("Starting or stopping water service when you move",
     "Start or stop water service online or by phone at least two working days before you move; owners and tenants both can open an account, with a $25 deposit for tenants.",
     "Give the address, the move date and a forwarding address for the final bill. A meter reading is taken on your move-out date."),
    ("Abrir o cerrar el servicio de agua al mudarse",
     "Abra o cierre el servicio de agua en línea o por teléfono al menos dos días hábiles antes de mudarse; dueños e inquilinos pueden abrir una cuenta, con un depósito de $25 para inquilinos.",
     "Indique la dirección, la fecha de mudanza y una dirección para la factura final. Se toma la lectura del medidor el día que se muda."))
art("water-main-break", "water", ["water"], ["water-leak"],
    ("Water in the street or a water main break",
     "Report water running in the street, from a hydrant or from the ground right away; crews respond day and night.",
     "During repairs your water may be off for a few hours. Afterwards, run the cold tap for a few minutes if the water is cloudy or rusty.\n\nIf a boil-water notice is issued, it is posted online and sent to subscribers."),
    ("Agua en la calle o rotura de tubería",
     "Reporte de inmediato agua corriendo en la calle, de un hidrante o del suelo; las cuadrillas responden de día y de noche.",
     "Durante la reparación su agua puede cortarse unas horas. Después, deje correr el agua fría unos minutos si sale turbia u oxidada.\n\nSi se emite un aviso de hervir el agua, se publica en línea y se envía a los suscriptores."))
art("high-water-bill", "water", ["water"], [],
    ("Why is my water bill so high?",
     "A high bill usually means a leak, most often a running toilet; check by reading your meter before and after two hours with no water used, and ask for a leak adjustment once repaired.",
     "A running toilet can waste 200 gallons a day. Put food coloring in the tank: if color shows in the bowl without flushing, the flapper leaks.\n\nAfter you fix a leak, send the receipt and we credit half of the extra sewer charges once a year."),
    ("¿Por qué mi factura de agua es tan alta?",
     "Una factura alta suele indicar una fuga, casi siempre un inodoro que no deja de correr; revise leyendo el medidor antes y después de dos horas sin usar agua, y pida un ajuste por fuga ya reparada.",
     "Un inodoro que corre puede desperdiciar 200 galones al día. Ponga colorante en el tanque: si aparece color en la taza sin jalar la palanca, el sapo tiene fuga.\n\nDespués de reparar la fuga, envíe el recibo y le acreditamos la mitad del cargo extra de drenaje una vez al año."))
art("sewer-backup-help", "water", ["water"], ["sewer-backup"],
    ("Sewage backing up into my basement",
     "Call (555) 010-1700 right away, day or night; a crew checks whether the city's sewer main is blocked, and if the blockage is in your private line you need a plumber.",
     "Do not use water until the backup is checked. Stay out of standing sewage; it carries germs.\n\nThe backflow prevention program pays up to $3,000 toward a backwater valve for homes with repeated backups."),
    ("El drenaje se regresa a mi sótano",
     "Llame de inmediato al (555) 010-1700, de día o de noche; una cuadrilla revisa si el colector de la ciudad está tapado, y si el tapón está en su línea privada necesita un plomero.",
     "No use agua hasta que se revise. No se meta en aguas negras estancadas; llevan gérmenes.\n\nEl programa contra reflujo paga hasta $3,000 para una válvula antirretorno en casas con reflujos repetidos."))
art("water-quality", "water", ["water"], [],
    ("Is my tap water safe to drink?",
     "Yes: Riverton's water meets every federal and state standard and is tested daily; the yearly water quality report has the results, and homes with lead pipes can get a free filter and test.",
     "If your home was built before 1950 it may have a lead service line. Request a free test kit online; lead line replacement is free under the city program.\n\nDiscolored water after hydrant flushing clears if you run the cold tap."),
    ("¿Es segura el agua de la llave?",
     "Sí: el agua de Riverton cumple todas las normas federales y estatales y se analiza a diario; el informe anual de calidad del agua tiene los resultados, y las casas con tuberías de plomo pueden recibir un filtro y una prueba gratis.",
     "Si su casa se construyó antes de 1950 puede tener una toma de plomo. Pida en línea un kit de prueba gratis; el reemplazo de la toma de plomo es gratis con el programa de la ciudad.\n\nEl agua de color después de limpiar hidrantes se aclara si deja correr el agua fría."))
art("flooding", "water", ["water", "public-works"], ["storm-drain"],
    ("Street flooding and clogged storm drains",
     "Report a clogged storm drain or street flooding online; you can help by clearing leaves from the drain grate in front of your home when it is safe.",
     "Never drive through flooded streets: 6 inches of water can stall a car. Sandbags are free at the Public Works yard, 250 Yard Rd., during flood warnings."),
    ("Inundación de calles y coladeras tapadas",
     "Reporte en línea una coladera tapada o una calle inundada; puede ayudar quitando hojas de la rejilla frente a su casa cuando sea seguro.",
     "Nunca maneje por calles inundadas: 6 pulgadas de agua pueden apagar un auto. Los costales de arena son gratis en el patio de Obras Públicas, 250 Yard Rd., durante alertas de inundación."))

# --- housing and property -----------------------------------------------------------------------
art("tall-grass-weeds", "property", ["code-enforcement"], ["overgrown-lot"],
    ("Rules for tall grass and weeds",
     "Grass and weeds must be kept under 10 inches; report an overgrown lot online and the owner gets 7 days to mow before the city mows and bills them.",
     "The rule also covers the parkway between the sidewalk and the street. Vacant lots are inspected monthly in summer."),
    ("Reglas sobre pasto y hierba alta",
     "El pasto y la hierba deben estar por debajo de 10 pulgadas; reporte en línea un lote con hierba crecida y el dueño tiene 7 días para cortarla antes de que la ciudad la corte y le cobre.",
     "La regla también cubre la franja entre la banqueta y la calle. Los lotes baldíos se inspeccionan cada mes en verano."))
art("noise-rules", "property", ["code-enforcement"], ["noise"],
    ("Noise rules and quiet hours",
     "Quiet hours are 10 p.m. to 7 a.m.; construction is allowed weekdays 7 a.m. to 7 p.m. and Saturdays 9 a.m. to 5 p.m. Report noise online, or call police non-emergency at night.",
     "Music or voices audible 50 feet away during quiet hours break the rule. Leaf blowers and lawn mowers follow construction hours."),
    ("Reglas de ruido y horas de silencio",
     "Las horas de silencio son de 10 p. m. a 7 a. m.; la construcción se permite entre semana de 7 a. m. a 7 p. m. y los sábados de 9 a. m. a 5 p. m. Reporte el ruido en línea, o de noche llame a la línea de la policía que no es de emergencia.",
     "La música o las voces que se oyen a 50 pies durante las horas de silencio violan la regla. Los sopladores de hojas y las podadoras siguen el horario de construcción."))
art("rental-inspection", "property", ["code-enforcement"], [],
    ("My landlord will not make repairs",
     "Tell your landlord in writing first; if heat, water, pests or safety problems are not fixed, ask for a free rental inspection and an inspector orders the repairs.",
     "Landlords must provide heat (68°F), hot water, working smoke detectors, and a home free of pests and leaks. Retaliation against a tenant who asks for an inspection is illegal.\n\nInspections are scheduled within five working days; no heat in winter within one day."),
    ("Mi arrendador no hace reparaciones",
     "Avísele primero por escrito; si no arregla la calefacción, el agua, las plagas o problemas de seguridad, pida una inspección de vivienda gratis y un inspector ordena las reparaciones.",
     "El arrendador debe dar calefacción (68°F), agua caliente, detectores de humo que funcionen y una vivienda sin plagas ni goteras. Las represalias contra un inquilino que pide una inspección son ilegales.\n\nLas inspecciones se agendan en cinco días hábiles; la falta de calefacción en invierno, en un día."))
art("vacant-buildings", "property", ["code-enforcement"], ["vacant-building"],
    ("Vacant and unsafe buildings",
     "Report a vacant building that is open, damaged or used by trespassers; inspectors order the owner to secure it and the city boards it up if they do not.",
     "Owners of vacant buildings must register them every year and keep them secured and insured. If a building looks about to collapse, call 911."),
    ("Edificios vacíos e inseguros",
     "Reporte un edificio vacío abierto, dañado o usado por intrusos; los inspectores ordenan al dueño asegurarlo y la ciudad lo tapia si no lo hace.",
     "Los dueños de edificios vacíos deben registrarlos cada año y mantenerlos asegurados. Si un edificio parece a punto de caerse, llame al 911."))
art("home-repair-help", "property", [], [],
    ("Home repair grants for owners",
     "Owners with low or moderate income can get grants of up to $15,000 for urgent repairs such as roofs, furnaces and accessibility ramps.",
     "The home must be your main residence in Riverton and property taxes must be current. Applications open each March; seniors and people with disabilities are served first."),
    ("Apoyos para reparar la vivienda",
     "Los dueños de ingresos bajos o moderados pueden recibir apoyos de hasta $15,000 para reparaciones urgentes como techos, calefacción y rampas de accesibilidad.",
     "La vivienda debe ser su residencia principal en Riverton y los impuestos prediales deben estar al día. Las solicitudes abren cada marzo; primero se atiende a personas mayores y con discapacidad."))

# --- city services and contact --------------------------------------------------------------------
art("city-hall-hours", "city", [], [],
    ("City Hall hours and address",
     "City Hall, 100 Main St., is open Monday to Friday, 8 a.m. to 5 p.m., closed on city holidays; most services are also online any time.",
     "Free parking is behind the building for 2 hours. The building is accessible from the Main St. entrance.\n\nInterpreters in Spanish are available at the front desk; other languages by phone."),
    ("Horario y dirección del Ayuntamiento",
     "El Ayuntamiento, 100 Main St., abre de lunes a viernes, de 8 a. m. a 5 p. m., cerrado en días festivos de la ciudad; la mayoría de los servicios también están en línea a cualquier hora.",
     "Hay estacionamiento gratis detrás del edificio por 2 horas. El edificio es accesible por la entrada de Main St.\n\nHay intérpretes de español en la recepción; otros idiomas por teléfono."))
art("contact-311", "city", [], [],
    ("How to contact 311",
     "Reach 311 online any time, by chat, by text message, or by phone at 311 ((555) 010-0311 from outside the city), Monday to Friday, 7 a.m. to 7 p.m.",
     "311 handles non-emergency city services and questions. For emergencies, call **911**.\n\nEvery request gets a number so you can follow it online and get updates by email."),
    ("Cómo contactar al 311",
     "Comuníquese con el 311 en línea a cualquier hora, por chat, por mensaje de texto o por teléfono al 311 ((555) 010-0311 desde fuera de la ciudad), de lunes a viernes, de 7 a. m. a 7 p. m.",
     "El 311 atiende servicios y preguntas de la ciudad que no son emergencias. Para emergencias, llame al **911**.\n\nCada solicitud recibe un número para seguirla en línea y recibir avisos por correo electrónico."))
art("track-my-request", "city", [], [],
    ("How do I check the status of my request?",
     "Every request has a number like 2026-004213: open its page from the confirmation email, search it on the open requests page, or ask the chat assistant with the number.",
     "The request page shows each step: received, assigned, in progress and resolved, with notes from the crew. Follow it to get an email at every change.\n\nIf a resolved request was not really fixed, you can reopen it within 30 days."),
    ("¿Cómo reviso el estado de mi solicitud?",
     "Cada solicitud tiene un número como 2026-004213: abra su página desde el correo de confirmación, búsquela en la página de solicitudes abiertas o pregunte al asistente del chat con el número.",
     "La página de la solicitud muestra cada paso: recibida, asignada, en proceso y resuelta, con notas de la cuadrilla. Sígala para recibir un correo con cada cambio.\n\nSi una solicitud resuelta no quedó arreglada, puede reabrirla en 30 días."))
art("public-records", "city", [], [],
    ("Requesting public records",
     "Ask for city records through the online public records request form; most requests are answered within five working days, and the first 50 pages are free.",
     "Describe the records as precisely as you can (dates, addresses, departments). Some records are withheld by law, such as personal information and active investigations; you will be told why."),
    ("Solicitud de documentos públicos",
     "Pida documentos de la ciudad con el formulario en línea de solicitud de documentos públicos; la mayoría se responden en cinco días hábiles y las primeras 50 páginas son gratis.",
     "Describa los documentos con la mayor precisión posible (fechas, direcciones, departamentos). Algunos documentos se reservan por ley, como datos personales e investigaciones en curso; se le dirá por qué."))
art("city-council-meetings", "city", [], [],
    ("City Council meetings and public comment",
     "The City Council meets the first and third Tuesday of each month at 6 p.m. in City Hall; anyone may speak for three minutes during public comment, in person or by video.",
     "Agendas are posted online five days before. Sign up to speak before 5 p.m. on the meeting day. Meetings are streamed and recorded; Spanish interpretation is available on request."),
    ("Sesiones del Concejo Municipal y comentarios del público",
     "El Concejo Municipal sesiona el primer y tercer martes de cada mes a las 6 p. m. en el Ayuntamiento; cualquiera puede hablar tres minutos en los comentarios del público, en persona o por video.",
     "Las agendas se publican en línea cinco días antes. Inscríbase para hablar antes de las 5 p. m. del día de la sesión. Las sesiones se transmiten y graban; hay interpretación al español si la pide."))
art("emergency-alerts", "city", [], [],
    ("Sign up for emergency alerts",
     "Get free alerts by text, email or phone call for severe weather, boil-water notices, snow emergencies and road closures; sign up online in English or Spanish.",
     "Choose the alert types and addresses you care about (home, work, a parent's home). Alerts never include advertising and you can stop them any time."),
    ("Suscríbase a las alertas de emergencia",
     "Reciba alertas gratis por mensaje de texto, correo o llamada sobre clima severo, avisos de hervir el agua, emergencias por nieve y cierres de calles; suscríbase en línea en inglés o español.",
     "Elija los tipos de alerta y las direcciones que le interesan (casa, trabajo, la casa de un familiar). Las alertas nunca llevan publicidad y puede cancelarlas cuando quiera."))
art("your-privacy", "city", [], [],
    ("How the city uses your contact details",
     "Contact details you give with a request are used only to update you on it and are never sold; you can see, download or erase your data from your account page.",
     "Staff see your details only to handle your request, and every access is logged. Anonymous requests are welcome. Read the privacy notice for how long each kind of record is kept."),
    ("Cómo usa la ciudad sus datos de contacto",
     "Los datos de contacto que da con una solicitud solo se usan para avisarle sobre ella y nunca se venden; puede ver, descargar o borrar sus datos desde la página de su cuenta.",
     "El personal ve sus datos solo para atender su solicitud, y cada acceso queda registrado. Las solicitudes anónimas son bienvenidas. Lea el aviso de privacidad para saber cuánto tiempo se guarda cada tipo de registro."))
art("jobs-and-volunteering", "city", [], [],
    ("City jobs and volunteering",
     "Open city jobs, seasonal positions such as lifeguards and snow plow drivers, and volunteer programs are listed online; apply or sign up there.",
     "Seasonal hiring for summer opens in February and for winter in September. Volunteers help with park cleanups, tree planting, the animal shelter and snow shoveling for seniors."),
    ("Empleos y voluntariado en la ciudad",
     "Los empleos abiertos de la ciudad, puestos de temporada como salvavidas y conductores de quitanieves, y los programas de voluntariado están en línea; solicítelos o inscríbase ahí.",
     "La contratación de temporada de verano abre en febrero y la de invierno en septiembre. Los voluntarios ayudan en limpiezas de parques, plantación de árboles, el refugio de animales y a quitar nieve a personas mayores."))
art("library", "city", [], [],
    ("Library cards and branches",
     "A Riverton library card is free for residents: sign up online or at any branch with ID and proof of address; the main library is open every day.",
     "The main library, 300 Main St., is open Monday to Thursday 9 a.m. to 8 p.m., Friday and Saturday 9 to 5, Sunday 1 to 5. Cards give access to e-books, free Wi-Fi and computers, and museum passes."),
    ("Credenciales y sucursales de la biblioteca",
     "La credencial de la biblioteca de Riverton es gratis para residentes: regístrese en línea o en cualquier sucursal con identificación y comprobante de domicilio; la biblioteca principal abre todos los días.",
     "La biblioteca principal, 300 Main St., abre de lunes a jueves de 9 a. m. a 8 p. m., viernes y sábado de 9 a 5, domingo de 1 a 5. La credencial da acceso a libros electrónicos, Wi-Fi y computadoras gratis, y pases a museos."))

ARTICLES = A

SYNONYMS = [
    ("en", "trash, garbage, rubbish, refuse, waste"),
    ("en", "cart, bin, can, container"),
    ("en", "car, vehicle, auto"),
    ("en", "ticket, citation, fine"),
    ("en", "streetlight, street light, lamp post, light pole"),
    ("en", "sidewalk, pavement, footpath"),
    ("en", "couch, sofa, furniture"),
    ("en", "pay, payment, bill"),
    ("es", "basura, desechos, residuos"),
    ("es", "contenedor, bote, tambo"),
    ("es", "auto, carro, coche, vehiculo"),
    ("es", "multa, infraccion, boleta"),
    ("es", "banqueta, acera"),
    ("es", "bache, hoyo"),
]
