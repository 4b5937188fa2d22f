"""The demo city of Riverton: departments and services (English and Spanish)."""

# (slug, name, name_es, email, phone)
DEPARTMENTS = [
    ("public-works", "Public Works", "Obras Públicas", "publicworks@riverton.example", "(555) 010-1100"),
    ("sanitation", "Sanitation and Recycling", "Saneamiento y Reciclaje", "sanitation@riverton.example", "(555) 010-1200"),
    ("transportation", "Transportation and Parking", "Transporte y Estacionamiento", "transport@riverton.example", "(555) 010-1300"),
    ("parks", "Parks and Recreation", "Parques y Recreación", "parks@riverton.example", "(555) 010-1400"),
    ("animal-services", "Animal Services", "Servicios de Animales", "animals@riverton.example", "(555) 010-1500"),
    ("code-enforcement", "Code Enforcement", "Cumplimiento de Códigos", "code@riverton.example", "(555) 010-1600"),
    ("water", "Water and Sewer", "Agua y Alcantarillado", "water@riverton.example", "(555) 010-1700"),
]

SIZE_Q = ("size", "singlevaluelist", True, "How big is it?", "¿Qué tamaño tiene?",
          [("small", "Smaller than a plate", "Más pequeño que un plato"),
           ("medium", "Up to a car tire", "Hasta una llanta de auto"),
           ("large", "Larger than a car tire", "Más grande que una llanta de auto")])
HAZARD_Q = ("hazard", "singlevaluelist", True, "Is it a danger to people right now?", "¿Es un peligro para las personas ahora mismo?",
            [("no", "No", "No"), ("yes", "Yes", "Sí")])
WHEN_Q = ("noticed_at", "datetime", False, "When did you notice it?", "¿Cuándo lo notó?", [])
COUNT_Q = ("count", "number", False, "How many?", "¿Cuántos?", [])
PLATE_Q = ("plate", "string", False, "License plate (if visible)", "Placa (si se ve)", [])
DAYS_Q = ("days", "multivaluelist", False, "Which days does it happen?", "¿Qué días ocurre?",
          [("weekday", "Weekdays", "Entre semana"), ("weekend", "Weekends", "Fines de semana"), ("night", "At night", "De noche")])
ANIMAL_Q = ("animal", "singlevaluelist", True, "What kind of animal?", "¿Qué tipo de animal?",
            [("dog", "Dog", "Perro"), ("cat", "Cat", "Gato"), ("wildlife", "Wildlife", "Animal silvestre"), ("other", "Other", "Otro")])
DETAILS_Q = ("details", "text", False, "Anything else the crew should know?", "¿Algo más que el equipo deba saber?", [])

# (code, department, name, name_es, group, group_es, sla_hours, keywords, description, description_es, questions)
SERVICES = [
    ("pothole", "public-works", "Pothole", "Bache", "Streets and sidewalks", "Calles y banquetas", 48,
     "pothole,hole,road,street,asphalt,bache,hoyo,calle",
     "A hole or broken pavement in a street or alley.", "Un hoyo o pavimento roto en una calle o callejón.", [SIZE_Q, HAZARD_Q]),
    ("sidewalk-repair", "public-works", "Damaged sidewalk", "Banqueta dañada", "Streets and sidewalks", "Calles y banquetas", 240,
     "sidewalk,trip,crack,curb,banqueta,acera", "Cracked, lifted or missing sidewalk or curb.", "Banqueta o bordillo agrietado, levantado o faltante.", [HAZARD_Q]),
    ("streetlight-out", "public-works", "Streetlight out", "Poste de luz apagado", "Lights and signals", "Luces y semáforos", 72,
     "streetlight,light,lamp,dark,luz,poste,alumbrado", "A street or alley light that is out, flickering or on during the day.", "Una luz de calle apagada, parpadeando o encendida de día.", [COUNT_Q]),
    ("graffiti", "public-works", "Graffiti removal", "Retiro de grafiti", "Clean and safe", "Limpio y seguro", 120,
     "graffiti,paint,tag,vandalism,grafiti,pintura", "Graffiti on public property, or on private property visible from the street.", "Grafiti en propiedad pública, o en propiedad privada visible desde la calle.", [DETAILS_Q]),
    ("street-sweeping", "public-works", "Street sweeping", "Barrido de calles", "Streets and sidewalks", "Calles y banquetas", 120,
     "sweep,debris,leaves,dirty street,barrido,hojas", "Debris, leaves or glass that need a street sweeper.", "Basura, hojas o vidrio que necesitan barredora.", []),
    ("snow-ice", "public-works", "Snow or ice on street", "Nieve o hielo en la calle", "Streets and sidewalks", "Calles y banquetas", 24,
     "snow,ice,plow,salt,nieve,hielo", "A street that needs plowing or salt.", "Una calle que necesita quitanieves o sal.", [HAZARD_Q]),
    ("missed-trash", "sanitation", "Missed trash pickup", "Recolección de basura omitida", "Trash and recycling", "Basura y reciclaje", 24,
     "trash,garbage,pickup,missed,basura,recolección", "Your trash cart was out on time but was not collected.", "Su contenedor estaba afuera a tiempo pero no fue recogido.", [WHEN_Q]),
    ("missed-recycling", "sanitation", "Missed recycling pickup", "Reciclaje no recogido", "Trash and recycling", "Basura y reciclaje", 24,
     "recycling,recycle,blue cart,reciclaje", "Your recycling cart was out on time but was not collected.", "Su contenedor de reciclaje estaba afuera a tiempo pero no fue recogido.", [WHEN_Q]),
    ("bulk-pickup", "sanitation", "Bulk item pickup", "Recolección de objetos grandes", "Trash and recycling", "Basura y reciclaje", 120,
     "bulk,furniture,mattress,couch,appliance,muebles,colchón", "Schedule pickup of furniture, mattresses or appliances.", "Programe la recolección de muebles, colchones o electrodomésticos.", [COUNT_Q, DETAILS_Q]),
    ("damaged-cart", "sanitation", "Damaged or stolen cart", "Contenedor dañado o robado", "Trash and recycling", "Basura y reciclaje", 120,
     "cart,bin,container,broken,stolen,contenedor", "Repair or replace a city trash or recycling cart.", "Reparar o reemplazar un contenedor de la ciudad.", []),
    ("illegal-dumping", "sanitation", "Illegal dumping", "Tiradero ilegal", "Clean and safe", "Limpio y seguro", 72,
     "dumping,dump,trash pile,tiradero,basura tirada", "Trash or items dumped on a street, alley or vacant lot.", "Basura u objetos tirados en una calle, callejón o lote baldío.", [SIZE_Q]),
    ("dead-animal", "sanitation", "Dead animal removal", "Retiro de animal muerto", "Clean and safe", "Limpio y seguro", 24,
     "dead animal,carcass,animal muerto", "A dead animal on a street or sidewalk.", "Un animal muerto en la calle o banqueta.", [ANIMAL_Q]),
    ("traffic-signal", "transportation", "Traffic signal problem", "Problema de semáforo", "Lights and signals", "Luces y semáforos", 8,
     "traffic light,signal,semaphore,semáforo", "A traffic signal that is dark, stuck or flashing.", "Un semáforo apagado, atascado o parpadeando.", [HAZARD_Q]),
    ("sign-damaged", "transportation", "Damaged street sign", "Señal de tránsito dañada", "Lights and signals", "Luces y semáforos", 72,
     "sign,stop sign,street sign,señal,alto", "A missing, bent or faded street or traffic sign.", "Una señal faltante, doblada o descolorida.", [HAZARD_Q]),
    ("abandoned-vehicle", "transportation", "Abandoned vehicle", "Vehículo abandonado", "Parking", "Estacionamiento", 120,
     "abandoned car,vehicle,junk car,vehículo abandonado,carro", "A vehicle parked in the same place for more than 72 hours.", "Un vehículo estacionado en el mismo lugar por más de 72 horas.", [PLATE_Q]),
    ("parking-violation", "transportation", "Parking violation", "Infracción de estacionamiento", "Parking", "Estacionamiento", 8,
     "parking,blocked driveway,hydrant,estacionamiento,cochera", "A vehicle blocking a driveway, hydrant or crosswalk.", "Un vehículo bloqueando una entrada, hidrante o cruce peatonal.", [PLATE_Q]),
    ("bike-lane", "transportation", "Bike lane obstruction", "Carril de bicicleta obstruido", "Parking", "Estacionamiento", 48,
     "bike lane,bicycle,ciclovía,bicicleta", "Something blocking a bike lane.", "Algo bloqueando un carril de bicicleta.", []),
    ("park-maintenance", "parks", "Park maintenance", "Mantenimiento de parque", "Parks", "Parques", 120,
     "park,playground,bench,parque,juegos", "Broken playground equipment, benches or fences in a park.", "Juegos, bancas o cercas rotas en un parque.", [HAZARD_Q, DETAILS_Q]),
    ("tree-down", "parks", "Fallen tree or branch", "Árbol o rama caída", "Trees", "Árboles", 24,
     "tree,branch,fallen,storm,árbol,rama", "A tree or large branch down on a street, sidewalk or park.", "Un árbol o rama grande caída en calle, banqueta o parque.", [HAZARD_Q, SIZE_Q]),
    ("tree-trim", "parks", "Tree trimming", "Poda de árbol", "Trees", "Árboles", 480,
     "trim,prune,overgrown tree,poda,árbol", "A city tree that blocks a sign, light or sidewalk.", "Un árbol de la ciudad que tapa una señal, luz o banqueta.", []),
    ("park-restroom", "parks", "Park restroom problem", "Problema en baño de parque", "Parks", "Parques", 48,
     "restroom,bathroom,toilet,baño,sanitario", "A park restroom that is dirty, locked or broken.", "Un baño de parque sucio, cerrado o descompuesto.", []),
    ("stray-animal", "animal-services", "Stray animal", "Animal callejero", "Animals", "Animales", 24,
     "stray,loose dog,lost pet,callejero,perro suelto", "A loose or stray animal.", "Un animal suelto o callejero.", [ANIMAL_Q, COUNT_Q]),
    ("barking-dog", "animal-services", "Barking dog", "Perro que ladra", "Animals", "Animales", 120,
     "barking,dog noise,ladridos,perro", "A dog that barks for long periods.", "Un perro que ladra por mucho tiempo.", [DAYS_Q]),
    ("animal-bite", "animal-services", "Animal bite", "Mordida de animal", "Animals", "Animales", 8,
     "bite,bitten,mordida,mordedura", "Report a bite by a dog, cat or wild animal.", "Reporte una mordida de perro, gato o animal silvestre.", [ANIMAL_Q, WHEN_Q]),
    ("overgrown-lot", "code-enforcement", "Overgrown lot or weeds", "Lote con hierba crecida", "Property", "Propiedad", 240,
     "weeds,grass,overgrown,yard,hierba,maleza,pasto", "Grass or weeds over 10 inches on a property.", "Pasto o hierba de más de 10 pulgadas en una propiedad.", []),
    ("noise", "code-enforcement", "Noise complaint", "Queja por ruido", "Property", "Propiedad", 72,
     "noise,loud,music,construction noise,ruido,música", "Loud music, parties or construction outside allowed hours.", "Música fuerte, fiestas o construcción fuera del horario permitido.", [DAYS_Q]),
    ("vacant-building", "code-enforcement", "Open vacant building", "Edificio vacío abierto", "Property", "Propiedad", 120,
     "vacant,abandoned house,open building,edificio vacío,casa abandonada", "A vacant building left open or unsecured.", "Un edificio vacío abierto o sin asegurar.", [HAZARD_Q]),
    ("water-leak", "water", "Water main leak", "Fuga de agua", "Water", "Agua", 8,
     "water leak,main break,flooding,fuga,agua", "Water running from the street, a hydrant or the ground.", "Agua saliendo de la calle, un hidrante o el suelo.", [HAZARD_Q]),
    ("sewer-backup", "water", "Sewer backup or odor", "Drenaje tapado u olor", "Water", "Agua", 24,
     "sewer,drain,odor,smell,backup,drenaje,olor", "Sewer backing up, or a sewer smell in the street.", "Drenaje que se regresa, u olor a drenaje en la calle.", []),
    ("storm-drain", "water", "Clogged storm drain", "Coladera tapada", "Water", "Agua", 48,
     "storm drain,catch basin,flooding,coladera,inundación", "A storm drain blocked by leaves or trash.", "Una coladera tapada por hojas o basura.", []),
    ("hydrant", "water", "Damaged fire hydrant", "Hidrante dañado", "Water", "Agua", 24,
     "hydrant,fire hydrant,hidrante", "A fire hydrant that is leaking, open or knocked over.", "Un hidrante con fuga, abierto o derribado.", []),
]

STREETS = ["Main St", "Oak Ave", "River Rd", "Elm St", "Maple Ave", "Washington St", "Lincoln Ave", "Mill St",
           "Church St", "Park Ave", "Lake St", "Grant St", "Cedar Ln", "Jefferson St", "Prairie Ave", "Union St"]

# What the public sees of each service's requests (catalog.Visibility; cases/publication.py).
# Reports about people are private; reports made at the resident's own home show the block.
PRIVATE_SERVICES = {"animal-bite", "noise", "barking-dog"}
BLOCK_ONLY_SERVICES = {"missed-trash", "missed-recycling", "bulk-pickup", "damaged-cart"}
# Words and photos that wait for staff before the public sees them: graffiti may be
# offensive; photos of vehicles and dumping show number plates and people.
MODERATED_SERVICES = {"graffiti", "abandoned-vehicle", "illegal-dumping"}

# Emergencies (catalog.PriorityRule, Service.emergency_notice). Every service that asks
# "Is it a danger to people right now?" turns urgent on "yes": 4 clock hours, on-call alerted.
DANGER_NOTICE = ("If someone is hurt or in danger right now, call 911 first. Then report it here so a crew "
                 "can fix it.",
                 "Si alguien está herido o en peligro ahora mismo, llame primero al 911. Después repórtelo aquí "
                 "para que un equipo lo arregle.")
EMERGENCY_NOTICES = {
    "animal-bite": ("If someone is badly hurt, call 911 now. If the bite broke the skin, wash it with soap and "
                    "water and see a doctor today.",
                    "Si alguien está gravemente herido, llame al 911 ahora. Si la mordida rompió la piel, lávela "
                    "con agua y jabón y vea a un médico hoy."),
    "sewer-backup": ("If you smell gas, leave the building and call 911 from outside.",
                     "Si huele a gas, salga del edificio y llame al 911 desde afuera."),
}
URGENT_TARGET_HOURS = 4
ON_CALL = {slug: (f"on-call-{slug}@riverton.example", f"+1555555{n:04d}")
           for n, slug in enumerate(["public-works", "sanitation", "transportation", "parks", "animal-services",
                                     "code-enforcement", "water"], start=100)}
